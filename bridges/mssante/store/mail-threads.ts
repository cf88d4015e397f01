import type { Clock } from "../../../bots/core/clock.ts";
import type { Db } from "../../../bots/core/store/database.ts";
import type { MessageId } from "../mail/message-id.ts";
import type { MailThread } from "../routing/route.ts";

export interface BridgedMail extends MailThread {
  readonly mailbox: string;
  readonly messageId: MessageId;
  readonly direction: "in" | "out";
}

interface Row {
  mailbox: string;
  message_id: string;
  room_id: string;
  event_id: string;
  root_event_id: string;
  direction: "in" | "out";
}

function toMail(row: Row): BridgedMail {
  return { mailbox: row.mailbox, messageId: row.message_id as MessageId, roomId: row.room_id, eventId: row.event_id, rootEventId: row.root_event_id, direction: row.direction };
}

/** Where every bridged mail, received or sent, sits in Matrix: replies and reports find their thread here. */
export class MailThreads {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  record(mail: BridgedMail): void {
    this.db
      .prepare(
        `INSERT INTO mssante_threads (mailbox, message_id, room_id, event_id, root_event_id, direction, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (mailbox, message_id) DO NOTHING`,
      )
      .run(mail.mailbox, mail.messageId, mail.roomId, mail.eventId, mail.rootEventId, mail.direction, this.clock.now());
  }

  /** The mail with this Message-ID, preferring the given mailbox's copy. */
  byMessageId(messageId: MessageId, mailbox: string): BridgedMail | undefined {
    const row = this.db
      .prepare("SELECT * FROM mssante_threads WHERE message_id = ? ORDER BY mailbox = ? DESC, created_at LIMIT 1")
      .get(messageId, mailbox) as Row | undefined;
    return row ? toMail(row) : undefined;
  }

  /** The bridged mail shown by this event. */
  byEvent(roomId: string, eventId: string): BridgedMail | undefined {
    const row = this.db.prepare("SELECT * FROM mssante_threads WHERE room_id = ? AND event_id = ?").get(roomId, eventId) as Row | undefined;
    return row ? toMail(row) : undefined;
  }

  /** The mails of a Matrix thread, oldest first. */
  inThread(roomId: string, rootEventId: string): BridgedMail[] {
    return (this.db.prepare("SELECT * FROM mssante_threads WHERE room_id = ? AND root_event_id = ? ORDER BY created_at, rowid").all(roomId, rootEventId) as Row[]).map(toMail);
  }
}
