import type { Clock } from "../clock.ts";
import type { Db } from "../store/database.ts";

/** One effect written to an outbox and not yet carried out; its id is the idempotency key of what it sends. */
export interface PendingEffect<E = unknown> {
  readonly id: number;
  /** What the effect is about (a request, a case, a referral): effects of one subject run in order. */
  readonly subject: string;
  readonly effect: E;
}

/** Where a module keeps its outbox: a table with id, <subject column>, effect, created_at, done_at, attempts, last_error. */
export interface OutboxTable {
  readonly table: string;
  readonly subjectColumn: string;
}

const IDENTIFIER = /^[a-z_]+$/;

/**
 * A module's outbox in SQLite. Effects are written in the transaction that changes the state
 * (call `enqueue` inside it) and carried out afterwards by the EffectsExecutor: a crash
 * between the two loses nothing, the outbox is drained on restart.
 */
export class Outbox<E = unknown> {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly where: OutboxTable;

  constructor(db: Db, clock: Clock, where: OutboxTable) {
    if (!IDENTIFIER.test(where.table) || !IDENTIFIER.test(where.subjectColumn)) throw new Error(`outbox table names must be plain identifiers: ${where.table}.${where.subjectColumn}`);
    this.db = db;
    this.clock = clock;
    this.where = where;
  }

  enqueue(subject: string, effects: readonly E[]): void {
    const insert = this.db.prepare(`INSERT INTO ${this.where.table} (${this.where.subjectColumn}, effect, created_at) VALUES (?, ?, ?)`);
    for (const effect of effects) insert.run(subject, JSON.stringify(effect), this.clock.now());
  }

  /** Effects not yet carried out, oldest first. */
  pending(limit: number): PendingEffect<E>[] {
    const rows = this.db
      .prepare(`SELECT id, ${this.where.subjectColumn} AS subject, effect FROM ${this.where.table} WHERE done_at IS NULL ORDER BY id LIMIT ?`)
      .all(limit) as { id: number; subject: string; effect: string }[];
    return rows.map((row) => ({ id: row.id, subject: row.subject, effect: JSON.parse(row.effect) as E }));
  }

  markDone(id: number): void {
    this.db.prepare(`UPDATE ${this.where.table} SET done_at = ? WHERE id = ?`).run(this.clock.now(), id);
  }

  /** Counts a failed attempt; returns how many attempts failed so far. */
  recordFailure(id: number, error: string): number {
    return (this.db.prepare(`UPDATE ${this.where.table} SET attempts = attempts + 1, last_error = ? WHERE id = ? RETURNING attempts`).get(error, id) as { attempts: number }).attempts;
  }

  countPending(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${this.where.table} WHERE done_at IS NULL`).get() as { n: number }).n;
  }
}
