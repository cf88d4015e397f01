import type { Clock } from "../../core/clock.ts";
import { Outbox } from "../../core/outbox/outbox.ts";
import type { Db } from "../../core/store/database.ts";
import {
  apply,
  DEFAULT_LIFECYCLE,
  openRequest,
  type LifecycleConfig,
  type NewRequest,
  type RequestId,
  type SnpEffect,
  type SnpEvent,
  type SnpRequestState,
  type Transition,
} from "../domain/index.ts";

const FINISHED: readonly SnpRequestState["status"][] = ["redirected", "done", "not-done", "closed", "cancelled"];

/**
 * SNP requests in SQLite. Every event is applied to the stored state inside one immediate
 * transaction, so concurrent events (two accepts in the same second, from any process) are
 * applied one after the other: the lifecycle's first-accept-wins rule then holds for real.
 * The effects of a transition are written to an outbox in that same transaction and carried
 * out afterwards: a crash between the two loses nothing, the outbox is drained on restart.
 */
export class SnpStore {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly config: LifecycleConfig;
  /** The effects of the transitions, by request, carried out by the SnpEffectsExecutor. */
  readonly outbox: Outbox<SnpEffect>;

  constructor(db: Db, clock: Clock, config: LifecycleConfig = DEFAULT_LIFECYCLE) {
    this.db = db;
    this.clock = clock;
    this.config = config;
    this.outbox = new Outbox(db, clock, { table: "snp_effects", subjectColumn: "request_id" });
  }

  /**
   * `alongside` runs in the same transaction (what the adapter keeps beside the request).
   * Effects `answered` selects are not queued: the caller tells them in its reply.
   */
  open(request: NewRequest, options: { alongside?: () => void; answered?: (effect: SnpEffect) => boolean } = {}): Transition {
    return this.db.transaction((): Transition => {
      const transition = openRequest(request, this.clock.now());
      this.db
        .prepare("INSERT INTO snp_requests (id, status, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
        .run(request.id, transition.state.status, JSON.stringify(transition.state), transition.state.createdAt, this.clock.now());
      options.alongside?.();
      this.enqueue(request.id, transition.effects, options.answered);
      return transition;
    }).immediate();
  }

  /** Applies an event to a stored request; throws for an unknown request. `answered`: as for open. */
  apply(id: RequestId, event: SnpEvent, answered?: (effect: SnpEffect) => boolean): Transition {
    return this.db.transaction((): Transition => {
      const current = this.get(id);
      if (!current) throw new Error(`unknown SNP request ${id}`);
      const transition = apply(current, event, this.config);
      if (transition.state !== current) {
        this.db
          .prepare("UPDATE snp_requests SET status = ?, state = ?, updated_at = ? WHERE id = ?")
          .run(transition.state.status, JSON.stringify(transition.state), this.clock.now(), id);
      }
      this.enqueue(id, transition.effects, answered);
      return transition;
    }).immediate();
  }

  get(id: RequestId): SnpRequestState | undefined {
    const row = this.db.prepare("SELECT state FROM snp_requests WHERE id = ?").get(id) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as SnpRequestState);
  }

  /** Requests still in someone's hands (for the regulators' overview and the indicators). */
  active(): SnpRequestState[] {
    const placeholders = FINISHED.map(() => "?").join(", ");
    return (this.db.prepare(`SELECT state FROM snp_requests WHERE status NOT IN (${placeholders}) ORDER BY created_at`).all(...FINISHED) as { state: string }[]).map(
      (row) => JSON.parse(row.state) as SnpRequestState,
    );
  }

  /** Every request created in [from, to), as indicator records. */
  createdBetween(from: number, to: number): SnpRequestState[] {
    return (this.db.prepare("SELECT state FROM snp_requests WHERE created_at >= ? AND created_at < ? ORDER BY created_at").all(from, to) as { state: string }[]).map(
      (row) => JSON.parse(row.state) as SnpRequestState,
    );
  }

  /** How many requests each member accepted since `from` (the fairness of the cascade). */
  acceptedCountsSince(from: number): Map<string, { count: number; lastAcceptedAt: number }> {
    const rows = this.db
      .prepare(
        `SELECT json_extract(state, '$.acceptedBy') AS user_id, COUNT(*) AS n, MAX(json_extract(state, '$.acceptedAt')) AS last
         FROM snp_requests WHERE json_extract(state, '$.acceptedAt') >= ? GROUP BY user_id`,
      )
      .all(from) as { user_id: string; n: number; last: number }[];
    return new Map(rows.map((r) => [r.user_id, { count: r.n, lastAcceptedAt: r.last }]));
  }

  private enqueue(requestId: RequestId, effects: readonly SnpEffect[], answered?: (effect: SnpEffect) => boolean): void {
    this.outbox.enqueue(requestId, answered ? effects.filter((effect) => !answered(effect)) : effects);
  }
}
