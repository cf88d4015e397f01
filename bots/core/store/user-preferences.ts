import type { Clock } from "../clock.ts";
import type { Lang } from "../i18n/lang.ts";
import type { Db } from "./database.ts";

/** Per-person settings shared by every bot (a language chosen with one bot applies to all). */
export class UserPreferences {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  language(userId: string): Lang | undefined {
    const row = this.db.prepare("SELECT lang FROM user_preferences WHERE user_id = ?").get(userId) as { lang: Lang } | undefined;
    return row?.lang;
  }

  setLanguage(userId: string, lang: Lang): void {
    this.db
      .prepare("INSERT INTO user_preferences (user_id, lang, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at")
      .run(userId, lang, this.clock.now());
  }
}
