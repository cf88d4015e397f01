import type { Clock } from "../../../bots/core/clock.ts";
import type { Db } from "../../../bots/core/store/database.ts";
import type { MessageId } from "../mail/message-id.ts";

export type OutboxStatus = "composing" | "queued" | "sent" | "failed";

/** A mail written in Matrix. Its content is never stored here: it is read back from the (encrypted) events when it leaves. */
export interface OutboundMail {
  readonly id: number;
  readonly mailbox: string;
  readonly roomId: string;
  /** The Matrix thread the mail belongs to: a bridged mail's thread, or the `!mail` command. */
  readonly threadRootId: string;
  readonly sender: string;
  readonly messageId: MessageId;
  readonly recipients: readonly string[];
  /** The bridged mail it answers, if any (its subject and references are read from that event). */
  readonly answersEventId: string | undefined;
  /** The `!mail` command that opened it, if any (its text after the address is the first part). */
  readonly commandEventId: string | undefined;
  readonly status: OutboxStatus;
  readonly dueAt: number;
  readonly attempts: number;
  readonly lastError: string | undefined;
  readonly delayNoticeEventId: string | undefined;
  readonly createdAt: number;
}

export interface NewDraft {
  readonly mailbox: string;
  readonly roomId: string;
  readonly threadRootId: string;
  readonly sender: string;
  readonly messageId: MessageId;
  readonly recipients: readonly string[];
  readonly answersEventId?: string;
  readonly commandEventId?: string;
}

interface Row {
  id: number;
  mailbox: string;
  room_id: string;
  thread_root_id: string;
  sender: string;
  message_id: string;
  recipients: string;
  answers_event_id: string | null;
  command_event_id: string | null;
  status: OutboxStatus;
  due_at: number;
  attempts: number;
  last_error: string | null;
  delay_notice_event_id: string | null;
  created_at: number;
}

function toMail(row: Row): OutboundMail {
  return {
    id: row.id,
    mailbox: row.mailbox,
    roomId: row.room_id,
    threadRootId: row.thread_root_id,
    sender: row.sender,
    messageId: row.message_id as MessageId,
    recipients: JSON.parse(row.recipients) as string[],
    answersEventId: row.answers_event_id ?? undefined,
    commandEventId: row.command_event_id ?? undefined,
    status: row.status,
    dueAt: row.due_at,
    attempts: row.attempts,
    lastError: row.last_error ?? undefined,
    delayNoticeEventId: row.delay_notice_event_id ?? undefined,
    createdAt: row.created_at,
  };
}

/**
 * The durable outbox. A draft is `composing` while its author may still add to it (a text
 * and the files sent with it arrive as separate events); it is `queued` when it is due,
 * retried there after a temporary SMTP failure, and ends `sent` or `failed`.
 */
export class Outbox {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Opens a draft (none may be composing for the same author in the same thread). */
  open(draft: NewDraft, dueAt: number): OutboundMail {
    const result = this.db
      .prepare(
        `INSERT INTO mssante_outbox (mailbox, room_id, thread_root_id, sender, message_id, recipients, answers_event_id, command_event_id, status, due_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'composing', ?, ?) ON CONFLICT (message_id) DO NOTHING`,
      )
      .run(draft.mailbox, draft.roomId, draft.threadRootId, draft.sender, draft.messageId, JSON.stringify(draft.recipients), draft.answersEventId ?? null, draft.commandEventId ?? null, dueAt, this.clock.now());
    const row = result.changes === 1 ? this.row(Number(result.lastInsertRowid)) : (this.db.prepare("SELECT * FROM mssante_outbox WHERE message_id = ?").get(draft.messageId) as Row);
    return toMail(row);
  }

  /** The draft this author is composing in this thread, if any. */
  composing(roomId: string, threadRootId: string, sender: string): OutboundMail | undefined {
    const row = this.db.prepare("SELECT * FROM mssante_outbox WHERE room_id = ? AND thread_root_id = ? AND sender = ? AND status = 'composing'").get(roomId, threadRootId, sender) as Row | undefined;
    return row ? toMail(row) : undefined;
  }

  /** Ends a draft's composing time now: it leaves as it is, and its author may start another in the thread. */
  finishComposing(id: number): void {
    this.db.prepare("UPDATE mssante_outbox SET status = 'queued', due_at = ? WHERE id = ? AND status = 'composing'").run(this.clock.now(), id);
  }

  /** Adds an event to a draft and moves its departure to `dueAt`. */
  addPart(id: number, eventId: string, dueAt: number): void {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO mssante_outbox_parts (outbox_id, event_id, position) SELECT ?, ?, COALESCE(MAX(position), -1) + 1 FROM mssante_outbox_parts WHERE outbox_id = ? ON CONFLICT DO NOTHING")
        .run(id, eventId, id);
      this.db.prepare("UPDATE mssante_outbox SET due_at = ? WHERE id = ? AND status = 'composing'").run(dueAt, id);
    })();
  }

  parts(id: number): string[] {
    return (this.db.prepare("SELECT event_id FROM mssante_outbox_parts WHERE outbox_id = ? ORDER BY position").all(id) as { event_id: string }[]).map((r) => r.event_id);
  }

  byMessageId(messageId: string): OutboundMail | undefined {
    const row = this.db.prepare("SELECT * FROM mssante_outbox WHERE message_id = ?").get(messageId) as Row | undefined;
    return row ? toMail(row) : undefined;
  }

  get(id: number): OutboundMail | undefined {
    const row = this.db.prepare("SELECT * FROM mssante_outbox WHERE id = ?").get(id) as Row | undefined;
    return row ? toMail(row) : undefined;
  }

  /** Drafts whose composing time is over become queued; returns the queued mails due now, oldest first. */
  takeDue(): OutboundMail[] {
    const now = this.clock.now();
    return this.db.transaction(() => {
      this.db.prepare("UPDATE mssante_outbox SET status = 'queued' WHERE status = 'composing' AND due_at <= ?").run(now);
      return (this.db.prepare("SELECT * FROM mssante_outbox WHERE status = 'queued' AND due_at <= ? ORDER BY due_at, id").all(now) as Row[]).map(toMail);
    })();
  }

  /** When the next draft or retry is due, if any. */
  nextDueAt(): number | undefined {
    const row = this.db.prepare("SELECT MIN(due_at) AS at FROM mssante_outbox WHERE status IN ('composing', 'queued')").get() as { at: number | null };
    return row.at ?? undefined;
  }

  markSent(id: number): void {
    this.db.prepare("UPDATE mssante_outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = ? WHERE id = ?").run(this.clock.now(), id);
  }

  retryLater(id: number, error: string, at: number): void {
    this.db.prepare("UPDATE mssante_outbox SET attempts = attempts + 1, last_error = ?, due_at = ? WHERE id = ?").run(error, at, id);
  }

  markFailed(id: number, error: string): void {
    this.db.prepare("UPDATE mssante_outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?").run(error, id);
  }

  setDelayNotice(id: number, eventId: string): void {
    this.db.prepare("UPDATE mssante_outbox SET delay_notice_event_id = ? WHERE id = ?").run(eventId, id);
  }

  private row(id: number): Row {
    return this.db.prepare("SELECT * FROM mssante_outbox WHERE id = ?").get(id) as Row;
  }
}
