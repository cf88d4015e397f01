import type { Clock } from "../clock.ts";
import { roomId, type RoomId } from "../matrix-ids.ts";
import type { Db } from "./database.ts";

const TABLE_NAME = /^[a-z_]+$/;

/**
 * The rooms a module created, by purpose key ("regulation", "case:SNP-7K3F", "triage"), in
 * the module's own table (key PRIMARY KEY, room_id, created_at). A key maps to one room for good.
 */
export class RoomKeys {
  private readonly db: Db;
  private readonly table: string;
  private readonly clock: Clock;

  constructor(db: Db, table: string, clock: Clock) {
    if (!TABLE_NAME.test(table)) throw new Error(`not a table name: ${table}`);
    this.db = db;
    this.table = table;
    this.clock = clock;
  }

  roomOf(key: string): RoomId | undefined {
    const row = this.db.prepare(`SELECT room_id FROM ${this.table} WHERE key = ?`).get(key) as { room_id: string } | undefined;
    return row ? roomId(row.room_id) : undefined;
  }

  /** The first room recorded for a key stays. */
  record(key: string, room: RoomId): void {
    this.db.prepare(`INSERT INTO ${this.table} (key, room_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`).run(key, room, this.clock.now());
  }

  roomIds(): RoomId[] {
    return (this.db.prepare(`SELECT room_id FROM ${this.table}`).all() as { room_id: string }[]).map((row) => roomId(row.room_id));
  }
}
