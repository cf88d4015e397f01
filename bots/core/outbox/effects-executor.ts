import pLimit, { type LimitFunction } from "p-limit";
import type { Logger } from "../logger.ts";
import type { Outbox, PendingEffect } from "./outbox.ts";

/** Attempts before an effect that keeps failing is set aside (logged as an error, kept in the table). */
export const MAX_EFFECT_ATTEMPTS = 8;
/** Subjects whose effects run at the same time, when the module does not say. */
export const DEFAULT_EFFECTS_CONCURRENCY = 8;
const RETRY_DELAY_MS = 5_000;
/** Effects read from the outbox at a time. */
const BATCH = 500;

/** Carries out one effect; `key(suffix)` is the idempotency key of what it sends (the same after a crash). */
export type EffectRunner<E> = (pending: PendingEffect<E>, key: (suffix?: string) => string) => Promise<void>;

export interface EffectsExecutorOptions {
  /** Names the module in the logs ("SNP", "care"). */
  readonly name: string;
  /** Idempotency keys are `<keyPrefix>:<effect id><suffix>`. */
  readonly keyPrefix: string;
  readonly logger: Logger;
  /** At most this many subjects have an effect running at once. */
  readonly concurrency?: number;
  readonly retryDelayMs?: number;
}

/**
 * Carries out the effects a module's transitions wrote to its outbox. Effects of different
 * subjects (requests, cases, referrals) run concurrently, at most `concurrency` at a time,
 * the subjects taking turns in one pool (a subject's next effect goes to the back of its
 * line); the effects of one subject run one after the other, oldest first. Every message goes out
 * with an idempotency key made of the effect's id, so an effect interrupted by a crash and run
 * again after the restart sends nothing twice. An effect that fails stays in the outbox and
 * holds back the later effects of its subject until a retry (a few seconds later, or the next
 * drain once this one is over) carries it out; after MAX_EFFECT_ATTEMPTS it is set aside.
 */
export class EffectsExecutor<E> {
  private readonly outbox: Pick<Outbox<E>, "pending" | "markDone" | "recordFailure">;
  private readonly runner: EffectRunner<E>;
  private readonly options: EffectsExecutorOptions;
  /** At most `concurrency` subjects' effects running; the others wait their turn in its line. */
  private readonly pool: LimitFunction;
  /** Effects read and waiting their turn, per subject, oldest first. */
  private readonly waiting = new Map<string, PendingEffect<E>[]>();
  /** Ids of the effects waiting or running, so a new read of the outbox does not take them twice. */
  private readonly taken = new Set<number>();
  /** Subjects with their next effect in the pool (running or in line): one at a time keeps their order. */
  private readonly scheduled = new Set<string>();
  /** Subjects whose effect failed: left alone until the retry, or until this drain is over. */
  private readonly held = new Set<string>();
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(outbox: Pick<Outbox<E>, "pending" | "markDone" | "recordFailure">, runner: EffectRunner<E>, options: EffectsExecutorOptions) {
    this.outbox = outbox;
    this.runner = runner;
    this.options = options;
    this.pool = pLimit(options.concurrency ?? DEFAULT_EFFECTS_CONCURRENCY);
  }

  /**
   * Runs the pending effects; resolves when nothing is left to run. Calls during a run share
   * it (and have it read the outbox again, so what they wrote is taken along).
   */
  drain(): Promise<void> {
    if (!this.stopped) this.takeMore();
    if (this.scheduled.size === 0) {
      this.finish();
      return Promise.resolve();
    }
    if (!this.idle) {
      let resolve = (): void => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }

  /** Starts nothing more; the effects running finish. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const effects of this.waiting.values()) for (const { id } of effects) this.taken.delete(id);
    this.waiting.clear();
  }

  private take(): void {
    for (const pending of this.outbox.pending(BATCH)) {
      if (this.taken.has(pending.id) || this.held.has(pending.subject)) continue;
      this.taken.add(pending.id);
      const queue = this.waiting.get(pending.subject);
      if (queue) queue.push(pending);
      else this.waiting.set(pending.subject, [pending]);
    }
  }

  private start(): void {
    for (const [subject, queue] of this.waiting) {
      if (this.scheduled.has(subject) || queue.length === 0) continue;
      this.scheduled.add(subject);
      void this.pool(() => this.runNext(subject));
    }
  }

  /**
   * Runs a subject's next effect, then sends the subject to the back of the line: every
   * subject's first effect (often the answer someone is waiting for) comes before the later
   * effects of the others.
   */
  private async runNext(subject: string): Promise<void> {
    let more = false;
    try {
      const next = this.waiting.get(subject)?.shift();
      if (!next) return;
      const carriedOut = await this.runOne(next);
      this.taken.delete(next.id);
      if (!carriedOut) {
        this.hold(subject);
        return;
      }
      more = (this.waiting.get(subject)?.length ?? 0) > 0;
    } catch (err) {
      this.options.logger.error({ subject, err: (err as Error).message }, `${this.options.name} outbox could not be updated; retried later`);
      this.hold(subject);
    } finally {
      if (more) void this.pool(() => this.runNext(subject));
      else {
        this.scheduled.delete(subject);
        if (this.waiting.get(subject)?.length === 0) this.waiting.delete(subject);
      }
      // Effects can make effects (an accepted referral opens a case), and rows past the batch wait their turn.
      if (!this.stopped) this.takeMore();
      if (this.scheduled.size === 0) this.finish();
    }
  }

  private takeMore(): void {
    try {
      this.take();
      this.start();
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message }, `${this.options.name} outbox could not be read; retried later`);
      this.retryLater();
    }
  }

  /** Returns false when the effect failed and is to be tried again. */
  private async runOne(pending: PendingEffect<E>): Promise<boolean> {
    try {
      await this.runner(pending, (suffix = "") => `${this.options.keyPrefix}:${pending.id}${suffix}`);
      this.outbox.markDone(pending.id);
      return true;
    } catch (err) {
      const error = (err as Error).message;
      const attempts = this.outbox.recordFailure(pending.id, error);
      const log = { effectId: pending.id, subject: pending.subject, kind: (pending.effect as { kind?: string }).kind, attempts, err: error };
      if (attempts >= MAX_EFFECT_ATTEMPTS) {
        this.options.logger.error(log, `${this.options.name} effect set aside after repeated failures`);
        this.outbox.markDone(pending.id);
        return true;
      }
      this.options.logger.warn(log, `${this.options.name} effect failed; retried later`);
      return false;
    }
  }

  private hold(subject: string): void {
    this.held.add(subject);
    for (const { id } of this.waiting.get(subject) ?? []) this.taken.delete(id);
    this.waiting.delete(subject);
  }

  /** Nothing runs any more: the held subjects get their retry, and the callers waiting are released. */
  private finish(): void {
    if (this.held.size > 0) this.retryLater();
    this.held.clear();
    const idle = this.idle;
    this.idle = undefined;
    idle?.resolve();
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.held.clear();
      void this.drain();
    }, this.options.retryDelayMs ?? RETRY_DELAY_MS);
    this.retryTimer.unref();
  }
}
