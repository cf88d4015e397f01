import type { Db } from "./database.ts";

/**
 * When the bot last completed a sync. After a downtime, the homeserver may send only the
 * latest events of a busy room (a "limited" sync): the bot pages back to this time so no
 * command sent while it was down is skipped.
 */
export class SyncMarks {
  private readonly db: Db;
  private readonly botId: string;

  constructor(db: Db, botId: string) {
    this.db = db;
    this.botId = botId;
  }

  record(syncedAt: number): void {
    this.db
      .prepare("INSERT INTO bot_sync_marks (bot_id, synced_at) VALUES (?, ?) ON CONFLICT (bot_id) DO UPDATE SET synced_at = MAX(synced_at, excluded.synced_at)")
      .run(this.botId, syncedAt);
  }

  lastSyncedAt(): number | undefined {
    const row = this.db.prepare("SELECT synced_at FROM bot_sync_marks WHERE bot_id = ?").get(this.botId) as { synced_at: number } | undefined;
    return row?.synced_at;
  }
}
