import { EffectsExecutor } from "../../core/outbox/effects-executor.ts";
import type { Logger } from "../../core/logger.ts";
import { splitSubject, type CareOutbox, type SubjectKind } from "../store/outbox.ts";

/** Carries out one kind of effect; `key(suffix)` is the idempotency key of what it sends. */
export type EffectRunner = (subject: string, effect: unknown, key: (suffix?: string) => string) => Promise<void>;

/**
 * Carries out the effects the care transitions wrote to the outbox (see EffectsExecutor):
 * several cases, alerts, referrals and téléexpertise requests at a time, each one's effects
 * in order, each with the runner of its kind.
 */
export class CareEffectsExecutor {
  private readonly executor: EffectsExecutor<unknown>;

  constructor(outbox: CareOutbox, runners: ReadonlyMap<SubjectKind, EffectRunner>, logger: Logger, concurrency?: number) {
    this.executor = new EffectsExecutor(
      outbox.table,
      async (pending, key) => {
        const { kind, key: subject } = splitSubject(pending.subject);
        const runner = runners.get(kind);
        if (!runner) throw new Error(`no runner for ${kind} effects`);
        await runner(subject, pending.effect, key);
      },
      { name: "care", keyPrefix: "care-effect", logger, ...(concurrency !== undefined ? { concurrency } : {}) },
    );
  }

  /** Runs the pending effects; concurrent calls share one run, and what they wrote is taken along. */
  drain(): Promise<void> {
    return this.executor.drain();
  }

  stop(): void {
    this.executor.stop();
  }
}
