import { createHash } from "node:crypto";
import { localize, type Lang } from "../../../bots/core/i18n/lang.ts";
import type { Logger } from "../../../bots/core/logger.ts";
import { parseMail, type InboundMail } from "../mail/inbound-mail.ts";
import type { MessageId } from "../mail/message-id.ts";
import { MSSANTE_MESSAGES as M } from "../messages.ts";
import { fileMessageContent, mailMessageContent, noticeMessageContent, type EncryptedFile, type MailMeta, type Placement } from "../matrix/contents.ts";
import { routeMail, type Route, type RoutingLookups } from "../routing/route.ts";
import type { InboundLedger, MailIdentity, MailLocation } from "../store/inbound-ledger.ts";
import type { MailThreads } from "../store/mail-threads.ts";
import { planMail, ORIGINAL_FILE_NAME, type PlannedFile } from "./mail-plan.ts";
import { renderMail, renderReport } from "./render.ts";

/** What the inbound side needs from Matrix (implemented by the bridge's Matrix adapter). */
export interface InboundMatrix {
  uploadLimitBytes(): Promise<number>;
  /** The room of a route, created or joined if needed (triage room, the DM with a member). */
  roomFor(route: Route): Promise<string>;
  uploadEncrypted(file: PlannedFile): Promise<EncryptedFile>;
  /** Sends one event; the same idempotency key always yields the same event (transaction id). */
  send(roomId: string, content: Record<string, unknown>, idempotencyKey: string): Promise<string>;
}

export interface InboundDeps {
  readonly ledger: InboundLedger;
  readonly threads: MailThreads;
  readonly lookups: RoutingLookups;
  readonly matrix: InboundMatrix;
  readonly lang: Lang;
  /** Every mailbox the bridge reads (for sub-address case tags). */
  readonly mailboxes: readonly string[];
  readonly processedFolder: string;
  readonly logger: Logger;
}

export interface InboundOutcome {
  readonly inboundId: number;
  readonly kind: "posted" | "already-posted" | "already-done";
  /** Resolves once Matrix accepted every event of the mail (its files may still be uploading when `process` returns). */
  readonly complete: Promise<void>;
}

const settled = Promise.resolve();

/**
 * Carries one received mail into Matrix. `process` returns once the mail's message is in its
 * room (so mails keep their order and a later reply finds its thread); `complete` once
 * Matrix accepted every event for it: only then may the caller mark it processed in its
 * mailbox. Resumable at any point: the
 * route is fixed before the first event, each accepted event is recorded, and each event
 * is sent with a transaction id derived from the mail, so a retry never posts it twice.
 */
export class InboundProcessor {
  private readonly deps: InboundDeps;

  constructor(deps: InboundDeps) {
    this.deps = deps;
  }

  async process(location: MailLocation, source: Buffer): Promise<InboundOutcome> {
    const { ledger } = this.deps;
    const mail = await parseMail(source).catch(() => undefined);
    const identity = identityOf(source, mail);
    const record = ledger.begin(location, identity);
    if (record.status === "done") return { inboundId: record.id, kind: "already-done", complete: settled };
    if (record.status === "posted") return { inboundId: record.id, kind: "already-posted", complete: settled };
    const keyOf = (part: number): string => `mail:${location.mailbox}:${identity.messageId}:${identity.contentSha256}:${part}`;
    const post = async (part: number, roomId: string, content: () => Promise<Record<string, unknown>>): Promise<string> => {
      const known = ledger.eventOf(record.id, part);
      if (known) return known;
      const eventId = await this.deps.matrix.send(roomId, await content(), keyOf(part));
      ledger.recordEvent(record.id, part, eventId);
      return eventId;
    };

    const uploadLimitBytes = await this.deps.matrix.uploadLimitBytes();
    if (mail?.report) {
      const original = mail.report.originalMessageId ? this.deps.threads.byMessageId(mail.report.originalMessageId, location.mailbox) : undefined;
      if (original) {
        const { roomId, placement } = await this.placeOnce(record, { kind: "thread", thread: original });
        const eventId = await post(0, roomId, async () => noticeMessageContent(renderReport(mail.report!, this.deps.lang), placement));
        ledger.markPosted(record.id, eventId);
        this.deps.logger.info({ mailbox: location.mailbox, uid: location.uid, report: mail.report.kind, roomId }, "mail report shown on its original");
        return { inboundId: record.id, kind: "posted", complete: settled };
      }
    }

    const plan = mail
      ? await planMail(mail, source, { uploadLimitBytes, mailboxes: this.deps.mailboxes })
      : { facts: { answers: [], patientIds: [], caseTags: [], recipients: [] }, text: undefined, html: undefined, files: source.length <= uploadLimitBytes ? [{ fileName: ORIGINAL_FILE_NAME, contentType: "message/rfc822", data: source }] : [], notes: [] };
    const { route, roomId, placement } = await this.placeOnce(record, routeMail(plan.facts, this.deps.lookups));
    const mainEventId = await post(0, roomId, async () => {
      if (!mail) return noticeMessageContent(localize(M.unreadableMail, this.deps.lang), placement);
      const routeLine = this.routeLine(route, mail);
      const reply = renderMail(mail, plan, { lang: this.deps.lang, uploadLimitBytes, processedFolder: this.deps.processedFolder, routeLine });
      return mailMessageContent(reply, metaOf(mail, location.mailbox), placement);
    });
    const rootEventId = placement.kind === "thread" ? placement.rootEventId : mainEventId;
    // Known as a mail thread as soon as it is visible: a member may answer before the attachments are up.
    if (mail?.messageId) {
      this.deps.threads.record({ mailbox: location.mailbox, messageId: mail.messageId, roomId, eventId: mainEventId, rootEventId, direction: "in" });
    }
    const filePlacement: Placement = { kind: "thread", rootEventId, inReplyTo: mainEventId, fallback: true };
    const complete = (async () => {
      for (const [index, file] of plan.files.entries()) {
        await post(index + 1, roomId, async () => fileMessageContent({ fileName: file.fileName, contentType: file.contentType, size: file.data.length }, await this.deps.matrix.uploadEncrypted(file), filePlacement));
      }
      ledger.markPosted(record.id, mainEventId);
      this.deps.logger.info({ mailbox: location.mailbox, uid: location.uid, route: route.kind, roomId, events: plan.files.length + 1 }, "mail bridged");
    })();
    return { inboundId: record.id, kind: "posted", complete };
  }

  /** The ledger says the mail is now marked processed in its mailbox. */
  done(inboundId: number): void {
    this.deps.ledger.markDone(inboundId);
  }

  /** Resolves the route's room once; a resumed mail keeps the route it had. */
  private async placeOnce(record: { id: number; route: string | undefined; roomId: string | undefined }, fresh: Route): Promise<{ route: Route; roomId: string; placement: Placement }> {
    const route = record.route ? (JSON.parse(record.route) as Route) : fresh;
    const roomId = record.roomId ?? (await this.deps.matrix.roomFor(route));
    if (!record.roomId) this.deps.ledger.setRoute(record.id, JSON.stringify(route), roomId);
    const placement: Placement = route.kind === "thread" ? { kind: "thread", rootEventId: route.thread.rootEventId, inReplyTo: route.thread.eventId, fallback: false } : { kind: "main" };
    return { route, roomId, placement };
  }

  private routeLine(route: Route, mail: InboundMail): string | undefined {
    const lang = this.deps.lang;
    if (route.kind === "case-patient") return localize(M.routedByPatient, lang);
    if (route.kind === "case-tag") return localize(M.routedByTag, lang);
    if (route.kind === "triage") {
      const unmatched = mail.report?.originalMessageId;
      return unmatched ? localize(M.reportUnmatched, lang, { messageId: unmatched }) : localize(M.triageIntro, lang);
    }
    return undefined;
  }
}

/** The mail facts kept in its event for replies (recipients, subject, references). */
function metaOf(mail: InboundMail, mailbox: string): MailMeta {
  return {
    mailbox,
    messageId: mail.messageId,
    subject: mail.subject,
    from: mail.from?.address,
    replyTo: mail.replyTo.map((a) => a.address),
    to: mail.to.map((a) => a.address),
    cc: mail.cc.map((a) => a.address),
    references: [...mail.references, ...mail.inReplyTo.filter((id) => !mail.references.includes(id))],
  };
}

/**
 * A mail's identity: its Message-ID and a digest of what its sender wrote (body and the
 * sender's own headers), so a copy delivered again with new trace headers, or renumbered
 * by a UIDVALIDITY change, is the same mail, and two mails sharing a Message-ID are not.
 */
export function identityOf(source: Buffer, mail: InboundMail | undefined): MailIdentity {
  const text = source.toString("latin1");
  const split = /\r?\n\r?\n/.exec(text);
  const headerBlock = split ? text.slice(0, split.index) : text;
  const body = split ? source.subarray(Buffer.byteLength(text.slice(0, split.index + split[0].length), "latin1")) : Buffer.alloc(0);
  const senderHeaders = headerBlock
    .replace(/\r?\n[ \t]+/g, " ")
    .split(/\r?\n/)
    .filter((line) => /^(from|to|cc|date|subject|message-id|in-reply-to|references|content-type):/i.test(line))
    .map((line) => line.trim())
    .sort()
    .join("\n");
  const digest = createHash("sha256").update(senderHeaders).update("\0").update(body).digest("hex");
  return { messageId: (mail?.messageId ?? "") as MessageId, contentSha256: digest };
}
