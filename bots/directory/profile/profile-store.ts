import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import { EMPTY_PROFILE, type Profile } from "./profile-fields.ts";

/** Members' additions to their card, kept apart from the national data they never overwrite. */
export class Profiles {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  get(userId: string): Profile {
    const row = this.db.prepare("SELECT data FROM member_profiles WHERE user_id = ?").get(userId) as { data: string } | undefined;
    return row ? { ...EMPTY_PROFILE, ...(JSON.parse(row.data) as Partial<Profile>) } : EMPTY_PROFILE;
  }

  set<K extends keyof Profile>(userId: string, key: K, value: Profile[K]): Profile {
    const profile = { ...this.get(userId), [key]: value };
    this.db
      .prepare("INSERT INTO member_profiles (user_id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")
      .run(userId, JSON.stringify(profile), this.clock.now());
    return profile;
  }
}

/** A guided session left unanswered this long is over: a later "oui" is ordinary chat again. */
export const GUIDE_TIMEOUT_MS = 30 * 60_000;

/** Where each member is in the guided profile questions, per room. */
export class GuideSessions {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  open(userId: string, roomId: string): void {
    this.db
      .prepare("INSERT INTO profile_sessions (user_id, room_id, step, updated_at) VALUES (?, ?, 0, ?) ON CONFLICT (user_id, room_id) DO UPDATE SET step = 0, updated_at = excluded.updated_at")
      .run(userId, roomId, this.clock.now());
  }

  step(userId: string, roomId: string): number | undefined {
    const row = this.db.prepare("SELECT step, updated_at FROM profile_sessions WHERE user_id = ? AND room_id = ?").get(userId, roomId) as
      | { step: number; updated_at: number }
      | undefined;
    if (!row || this.clock.now() - row.updated_at > GUIDE_TIMEOUT_MS) return undefined;
    return row.step;
  }

  moveTo(userId: string, roomId: string, step: number): void {
    this.db.prepare("UPDATE profile_sessions SET step = ?, updated_at = ? WHERE user_id = ? AND room_id = ?").run(step, this.clock.now(), userId, roomId);
  }

  close(userId: string, roomId: string): void {
    this.db.prepare("DELETE FROM profile_sessions WHERE user_id = ? AND room_id = ?").run(userId, roomId);
  }
}
