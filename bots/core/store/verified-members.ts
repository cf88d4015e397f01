import type { Clock } from "../clock.ts";
import type { Db } from "./database.ts";

/**
 * Matrix accounts verified as members of the CPTS. The directory links accounts to RPPS
 * numbers and writes here; the bots read it to decide whose invitations they accept.
 */
export class VerifiedMembers {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  isVerified(userId: string): boolean {
    return this.db.prepare("SELECT 1 FROM verified_members WHERE user_id = ? AND active = 1").get(userId) !== undefined;
  }

  /** Verified now, verified once and deactivated since, or never verified. */
  status(userId: string): "verified" | "deactivated" | "unknown" {
    const row = this.db.prepare("SELECT active FROM verified_members WHERE user_id = ?").get(userId) as { active: number } | undefined;
    if (!row) return "unknown";
    return row.active === 1 ? "verified" : "deactivated";
  }

  markVerified(userId: string, verifiedBy: string): void {
    this.db
      .prepare("INSERT INTO verified_members (user_id, verified_at, verified_by, active) VALUES (?, ?, ?, 1) ON CONFLICT (user_id) DO UPDATE SET active = 1, verified_by = excluded.verified_by, verified_at = excluded.verified_at")
      .run(userId, this.clock.now(), verifiedBy);
  }

  deactivate(userId: string): void {
    this.db.prepare("UPDATE verified_members SET active = 0 WHERE user_id = ?").run(userId);
  }
}
