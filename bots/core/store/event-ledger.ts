import type { Clock } from "../clock.ts";
import type { Db } from "./database.ts";

/**
 * - `new`: first time this event is seen: handle it;
 * - `resume`: a previous run claimed it but stopped before finishing: handle it again
 *   (replies are sent with a transaction id derived from the event, so the homeserver
 *   keeps only one);
 * - `done`: already handled: do nothing.
 */
export type Claim = "new" | "resume" | "done";

/** What the bot did with each command event, persisted so a restart never answers twice. */
export class EventLedger {
  private readonly db: Db;
  private readonly botId: string;
  private readonly clock: Clock;

  constructor(db: Db, botId: string, clock: Clock) {
    this.db = db;
    this.botId = botId;
    this.clock = clock;
  }

  claim(eventId: string, roomId: string): Claim {
    const inserted = this.db
      .prepare("INSERT INTO handled_events (bot_id, event_id, room_id, status, received_at) VALUES (?, ?, ?, 'processing', ?) ON CONFLICT DO NOTHING")
      .run(this.botId, eventId, roomId, this.clock.now());
    if (inserted.changes === 1) return "new";
    const row = this.db.prepare("SELECT status FROM handled_events WHERE bot_id = ? AND event_id = ?").get(this.botId, eventId) as { status: string };
    return row.status === "done" ? "done" : "resume";
  }

  complete(eventId: string, outcome: string, replyEventId: string | null): void {
    this.db
      .prepare("UPDATE handled_events SET status = 'done', outcome = ?, reply_event_id = ?, completed_at = ? WHERE bot_id = ? AND event_id = ?")
      .run(outcome, replyEventId, this.clock.now(), this.botId, eventId);
  }

  countDone(): number {
    const row = this.db.prepare("SELECT COUNT(*) AS n FROM handled_events WHERE bot_id = ? AND status = 'done'").get(this.botId) as { n: number };
    return row.n;
  }
}
