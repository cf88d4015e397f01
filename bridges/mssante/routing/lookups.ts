import type { Db } from "../../../bots/core/store/database.ts";
import type { MessageId } from "../mail/message-id.ts";
import type { CaseLinks } from "../store/case-links.ts";
import type { MailThreads } from "../store/mail-threads.ts";
import type { MailThread, RoutingLookups } from "./route.ts";

/**
 * Routing lookups over the bridge's stores and the directory (the Annuaire Santé extract:
 * MSSanté address → person → linked, verified member account). Only rooms the bridge is
 * still in count: a room it left is not a destination.
 */
export class StoreLookups implements RoutingLookups {
  private readonly db: Db;
  private readonly threads: MailThreads;
  private readonly cases: CaseLinks;
  private readonly mailbox: string;
  private readonly isJoined: (roomId: string) => boolean;

  constructor(deps: { db: Db; threads: MailThreads; cases: CaseLinks; mailbox: string; isJoined: (roomId: string) => boolean }) {
    this.db = deps.db;
    this.threads = deps.threads;
    this.cases = deps.cases;
    this.mailbox = deps.mailbox;
    this.isJoined = deps.isJoined;
  }

  threadOf(messageId: MessageId): MailThread | undefined {
    const mail = this.threads.byMessageId(messageId, this.mailbox);
    return mail && this.isJoined(mail.roomId) ? mail : undefined;
  }

  caseRoomForPatient(patientId: string): string | undefined {
    return this.joined(this.cases.roomForPatient(patientId));
  }

  caseRoomForTag(tag: string): string | undefined {
    return this.joined(this.cases.roomForTag(tag));
  }

  memberForAddress(address: string): string | undefined {
    const row = this.db
      .prepare(
        `SELECT l.user_id FROM directory_mssante m
         JOIN directory_people p ON p.id = m.person_id AND p.active = 1
         JOIN member_links l ON l.national_id = p.national_id
         JOIN verified_members v ON v.user_id = l.user_id AND v.active = 1
         WHERE m.address = ? AND m.active = 1
         ORDER BY l.linked_at LIMIT 1`,
      )
      .get(address.toLowerCase()) as { user_id: string } | undefined;
    return row?.user_id;
  }

  private joined(roomId: string | undefined): string | undefined {
    return roomId && this.isJoined(roomId) ? roomId : undefined;
  }
}
