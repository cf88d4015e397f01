import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";

/** What an effect is about: its subject's kind and key ("referral", "AD-7K3F"). */
export type SubjectKind = "case" | "alert" | "referral" | "expertise";

export interface PendingEffect<E = unknown> {
  readonly id: number;
  readonly kind: SubjectKind;
  readonly key: string;
  readonly effect: E;
}

/**
 * The effects of the care transitions, written in the transaction that changes the state and
 * carried out afterwards (see CareEffectsExecutor): a crash between the two loses nothing.
 */
export class CareOutbox {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Call inside the transaction that made the effects. */
  enqueue(kind: SubjectKind, key: string, effects: readonly unknown[]): void {
    const insert = this.db.prepare("INSERT INTO care_effects (subject, effect, created_at) VALUES (?, ?, ?)");
    for (const effect of effects) insert.run(`${kind}:${key}`, JSON.stringify(effect), this.clock.now());
  }

  pending(limit: number): PendingEffect[] {
    const rows = this.db.prepare("SELECT id, subject, effect FROM care_effects WHERE done_at IS NULL ORDER BY id LIMIT ?").all(limit) as { id: number; subject: string; effect: string }[];
    return rows.map((row) => {
      const split = row.subject.indexOf(":");
      return { id: row.id, kind: row.subject.slice(0, split) as SubjectKind, key: row.subject.slice(split + 1), effect: JSON.parse(row.effect) as unknown };
    });
  }

  markDone(id: number): void {
    this.db.prepare("UPDATE care_effects SET done_at = ? WHERE id = ?").run(this.clock.now(), id);
  }

  /** Counts a failed attempt; returns how many failed so far. */
  recordFailure(id: number, error: string): number {
    return (this.db.prepare("UPDATE care_effects SET attempts = attempts + 1, last_error = ? WHERE id = ? RETURNING attempts").get(error, id) as { attempts: number }).attempts;
  }

  countPending(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM care_effects WHERE done_at IS NULL").get() as { n: number }).n;
  }
}
