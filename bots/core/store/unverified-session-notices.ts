import type { Clock } from "../clock.ts";
import type { Db } from "./database.ts";

const ONCE_A_DAY_MS = 24 * 3_600_000;

/**
 * Remembers when a person was told that one of their sessions is not verified, so that
 * they are told at most once a day per session, whichever bot noticed it.
 */
export class UnverifiedSessionNotices {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** True, and recorded, when this session has not been the subject of a notice in the last 24 hours. */
  claim(userId: string, deviceId: string): boolean {
    const now = this.clock.now();
    const claimed = this.db
      .prepare(
        `INSERT INTO unverified_session_notices (user_id, device_id, notified_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id, device_id) DO UPDATE SET notified_at = excluded.notified_at
         WHERE unverified_session_notices.notified_at <= ?`,
      )
      .run(userId, deviceId, now, now - ONCE_A_DAY_MS);
    return claimed.changes === 1;
  }
}
