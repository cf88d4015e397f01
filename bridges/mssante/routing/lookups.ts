import type { Directory } from "../../../bots/directory/directory-port.ts";
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
  private readonly directory: Pick<Directory, "memberForMssanteAddress">;
  private readonly threads: MailThreads;
  private readonly cases: CaseLinks;
  private readonly mailbox: string;
  private readonly isJoined: (roomId: string) => boolean;

  constructor(deps: { directory: Pick<Directory, "memberForMssanteAddress">; threads: MailThreads; cases: CaseLinks; mailbox: string; isJoined: (roomId: string) => boolean }) {
    this.directory = deps.directory;
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
    return this.directory.memberForMssanteAddress(address);
  }

  private joined(roomId: string | undefined): string | undefined {
    return roomId && this.isJoined(roomId) ? roomId : undefined;
  }
}
