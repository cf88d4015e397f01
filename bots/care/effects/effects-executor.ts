import type { Logger } from "../../core/logger.ts";
import type { CareOutbox, PendingEffect, SubjectKind } from "../store/outbox.ts";

/** Attempts before an effect that keeps failing is set aside (logged as an error, kept in the table). */
export const MAX_EFFECT_ATTEMPTS = 8;
const RETRY_DELAY_MS = 5_000;

/** Carries out one kind of effect; `key(suffix)` is the idempotency key of what it sends. */
export type EffectRunner = (subject: string, effect: unknown, key: (suffix?: string) => string) => Promise<void>;

/**
 * Carries out the effects the care transitions wrote to the outbox, oldest first. Every
 * message goes out with an idempotency key made of the effect's id, so an effect interrupted
 * by a crash and run again after the restart sends nothing twice. An effect that fails stays
 * in the outbox and holds back the later effects of its subject until it succeeds.
 */
export class CareEffectsExecutor {
  private readonly outbox: CareOutbox;
  private readonly runners: ReadonlyMap<SubjectKind, EffectRunner>;
  private readonly logger: Logger;
  private draining: Promise<void> | undefined;
  private requested = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(outbox: CareOutbox, runners: ReadonlyMap<SubjectKind, EffectRunner>, logger: Logger) {
    this.outbox = outbox;
    this.runners = runners;
    this.logger = logger;
  }

  /** Runs the pending effects; concurrent calls share one run, and a call during a run triggers another. */
  drain(): Promise<void> {
    this.requested = true;
    this.draining ??= (async () => {
      // A subject whose effect failed waits for the retry, not for the next pass of this run.
      const held = new Set<string>();
      try {
        while (this.requested && !this.stopped) {
          this.requested = false;
          // Effects can make effects (an accepted referral opens a case): go on while some were carried out.
          if ((await this.drainOnce(held)) > 0 && this.outbox.countPending() > 0) this.requested = true;
        }
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  /** Returns how many effects were carried out. */
  private async drainOnce(held: Set<string>): Promise<number> {
    let done = 0;
    for (const pending of this.outbox.pending(500)) {
      const subject = `${pending.kind}:${pending.key}`;
      if (held.has(subject) || this.stopped) continue;
      try {
        await this.run(pending);
        this.outbox.markDone(pending.id);
        done++;
      } catch (err) {
        const error = (err as Error).message;
        const attempts = this.outbox.recordFailure(pending.id, error);
        const log = { effectId: pending.id, subject, kind: (pending.effect as { kind?: string }).kind, attempts, err: error };
        if (attempts >= MAX_EFFECT_ATTEMPTS) {
          this.logger.error(log, "care effect set aside after repeated failures");
          this.outbox.markDone(pending.id);
        } else {
          this.logger.warn(log, "care effect failed; retried later");
          held.add(subject);
        }
      }
    }
    if (held.size > 0) this.retryLater();
    return done;
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, RETRY_DELAY_MS);
    this.retryTimer.unref();
  }

  private async run(pending: PendingEffect): Promise<void> {
    const runner = this.runners.get(pending.kind);
    if (!runner) throw new Error(`no runner for ${pending.kind} effects`);
    await runner(pending.key, pending.effect, (suffix = "") => `care-effect:${pending.id}${suffix}`);
  }
}
