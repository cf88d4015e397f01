import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";

/** Each member's `!dispo on/off`. Someone who never said is available: being in the SNP pool is the commitment. */
export class Availability {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  isAvailable(userId: string): boolean {
    const row = this.db.prepare("SELECT available FROM snp_availability WHERE user_id = ?").get(userId) as { available: number } | undefined;
    return row === undefined || row.available === 1;
  }

  set(userId: string, available: boolean): void {
    this.db
      .prepare(
        "INSERT INTO snp_availability (user_id, available, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at",
      )
      .run(userId, available ? 1 : 0, this.clock.now());
  }
}
