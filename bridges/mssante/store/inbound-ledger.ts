import type { Clock } from "../../../bots/core/clock.ts";
import type { Statement } from "better-sqlite3";
import type { Db } from "../../../bots/core/store/database.ts";

/** Where a mail was seen in its mailbox: a UIDVALIDITY change renumbers everything. */
export interface MailLocation {
  readonly mailbox: string;
  readonly uidValidity: number;
  readonly uid: number;
}

/** What makes two copies one mail: its Message-ID (empty when it has none) and a digest of its content. */
export interface MailIdentity {
  readonly messageId: string;
  readonly contentSha256: string;
}

export type InboundStatus = "posting" | "posted" | "done";

export interface InboundRecord {
  readonly id: number;
  readonly status: InboundStatus;
  readonly route: string | undefined;
  readonly roomId: string | undefined;
}

interface Row {
  id: number;
  status: InboundStatus;
  route: string | null;
  room_id: string | null;
}

/**
 * The durable ledger of received mails. A mail is `posting` while its events go to Matrix
 * (each accepted event is recorded), `posted` once Matrix accepted all of them, `done` once
 * it is marked processed in its mailbox. Keyed by mailbox + identity, so the same mail seen
 * again (after a crash, under a new UIDVALIDITY, delivered twice) is never posted twice.
 */
export class InboundLedger {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly statements = new Map<string, Statement>();

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Prepared once: several statements run for every event of every mail. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The record for this mail, created `posting` the first time; its location is updated to where it was just seen. */
  begin(location: MailLocation, identity: MailIdentity): InboundRecord {
    return this.db.transaction((): InboundRecord => {
      this.sql(
        `INSERT INTO mssante_inbound (mailbox, message_id, content_sha256, uid_validity, uid, status, received_at)
         VALUES (?, ?, ?, ?, ?, 'posting', ?)
         ON CONFLICT (mailbox, message_id, content_sha256) DO UPDATE SET uid_validity = excluded.uid_validity, uid = excluded.uid`,
      ).run(location.mailbox, identity.messageId, identity.contentSha256, location.uidValidity, location.uid, this.clock.now());
      const row = this.sql("SELECT id, status, route, room_id FROM mssante_inbound WHERE mailbox = ? AND message_id = ? AND content_sha256 = ?").get(location.mailbox, identity.messageId, identity.contentSha256) as Row;
      return { id: row.id, status: row.status, route: row.route ?? undefined, roomId: row.room_id ?? undefined };
    })();
  }

  /** Where the mail goes, fixed before its first event so a resumed mail goes to the same room. */
  setRoute(id: number, route: string, roomId: string): void {
    this.sql("UPDATE mssante_inbound SET route = ?, room_id = ? WHERE id = ?").run(route, roomId, id);
  }

  eventOf(id: number, part: number): string | undefined {
    const row = this.sql("SELECT event_id FROM mssante_inbound_events WHERE inbound_id = ? AND part = ?").get(id, part) as { event_id: string } | undefined;
    return row?.event_id;
  }

  recordEvent(id: number, part: number, eventId: string): void {
    this.sql("INSERT INTO mssante_inbound_events (inbound_id, part, event_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(id, part, eventId);
  }

  markPosted(id: number, mainEventId: string): void {
    this.sql("UPDATE mssante_inbound SET status = 'posted', event_id = ?, posted_at = ? WHERE id = ? AND status = 'posting'").run(mainEventId, this.clock.now(), id);
  }

  /** In one transaction: the mails of one IMAP move. */
  markDone(ids: readonly number[]): void {
    this.together(() => {
      for (const id of ids) this.sql("UPDATE mssante_inbound SET status = 'done', done_at = ? WHERE id = ?").run(this.clock.now(), id);
    });
  }

  /** Runs `write` in one transaction (writes of the ledger and of the mail threads, which share the database). */
  together<T>(write: () => T): T {
    return this.db.transaction(write)();
  }

  countByStatus(status: InboundStatus): number {
    return (this.sql("SELECT COUNT(*) AS n FROM mssante_inbound WHERE status = ?").get(status) as { n: number }).n;
  }
}
