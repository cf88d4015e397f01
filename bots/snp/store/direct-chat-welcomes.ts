import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import type { WelcomeStatus } from "../domain/index.ts";

/**
 * Which members got their direct chat with the bot opened ahead of requests (see
 * domain/direct-chats.ts). `pending` is written before the chat is opened, so a crash in
 * between is finished after the restart, then again with the chat's id while the welcome
 * waits for the person to join.
 */
export class DirectChatWelcomes {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  statuses(): Map<string, WelcomeStatus> {
    const rows = this.db.prepare("SELECT user_id, status FROM snp_direct_chat_welcomes").all() as { user_id: string; status: WelcomeStatus }[];
    return new Map(rows.map((r) => [r.user_id, r.status]));
  }

  /** The chat of a welcome still waiting (undefined: none waits, or the chat was not opened yet). */
  pendingRoom(userId: string): string | undefined {
    const row = this.db.prepare("SELECT room_id FROM snp_direct_chat_welcomes WHERE user_id = ? AND status = 'pending'").get(userId) as { room_id: string | null } | undefined;
    return row?.room_id ?? undefined;
  }

  markPending(userId: string, roomId: string | null): void {
    this.upsert(userId, "pending", roomId, null);
  }

  markSent(userId: string, roomId: string, eventId: string): void {
    this.upsert(userId, "sent", roomId, eventId);
  }

  markExisting(userId: string, roomId: string): void {
    this.upsert(userId, "existing", roomId, null);
  }

  markDeclined(userId: string, roomId: string): void {
    this.upsert(userId, "declined", roomId, null);
  }

  private upsert(userId: string, status: WelcomeStatus, roomId: string | null, eventId: string | null): void {
    this.db
      .prepare(
        `INSERT INTO snp_direct_chat_welcomes (user_id, status, room_id, event_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, room_id = excluded.room_id, event_id = excluded.event_id, updated_at = excluded.updated_at`,
      )
      .run(userId, status, roomId, eventId, this.clock.now());
  }
}
