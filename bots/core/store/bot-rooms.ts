import type { Db } from "./database.ts";

/** When the bot joined each room: anything older is history it must not act on. */
export class BotRooms {
  private readonly db: Db;
  private readonly botId: string;

  constructor(db: Db, botId: string) {
    this.db = db;
    this.botId = botId;
  }

  /** Keeps the earliest join seen: a later profile change is also a "join" membership event. */
  recordJoin(roomId: string, joinedAt: number): void {
    this.db
      .prepare("INSERT INTO bot_rooms (bot_id, room_id, joined_at) VALUES (?, ?, ?) ON CONFLICT (bot_id, room_id) DO UPDATE SET joined_at = MIN(joined_at, excluded.joined_at)")
      .run(this.botId, roomId, joinedAt);
  }

  forget(roomId: string): void {
    this.db.prepare("DELETE FROM bot_rooms WHERE bot_id = ? AND room_id = ?").run(this.botId, roomId);
  }

  joinedAt(roomId: string): number | undefined {
    const row = this.db.prepare("SELECT joined_at FROM bot_rooms WHERE bot_id = ? AND room_id = ?").get(this.botId, roomId) as { joined_at: number } | undefined;
    return row?.joined_at;
  }
}
