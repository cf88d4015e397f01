import { createHash } from "node:crypto";
import pLimit from "p-limit";
import { localize, type Lang } from "../../../bots/core/i18n/lang.ts";
import type { Logger } from "../../../bots/core/logger.ts";
import { parseMail, type InboundMail } from "../mail/inbound-mail.ts";
import type { MessageId } from "../mail/message-id.ts";
import { MSSANTE_MESSAGES as M } from "../messages.ts";
import { fileMessageContent, mailMessageContent, noticeMessageContent, type EncryptedFile, type MailMeta, type Placement } from "../matrix/contents.ts";
import { routeMail, type Route, type RoutingLookups } from "../routing/route.ts";
import type { InboundLedger, InboundRecord, MailIdentity, MailLocation } from "../store/inbound-ledger.ts";
import type { MailThreads } from "../store/mail-threads.ts";
import { OrderedLanes } from "./ordered-lanes.ts";
import { planMail, ORIGINAL_FILE_NAME, type MailPlan, type PlannedFile } from "./mail-plan.ts";
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
}

/** Files encrypted and uploaded at the same time, across all the mails in flight. */
const PARALLEL_UPLOADS = 4;
const ARRIVAL_LANE = "arrival";

/** A mail parsed, recorded `posting` in the ledger and planned; its files may be uploading already. */
interface PreparedMail {
  readonly location: MailLocation;
  readonly record: InboundRecord;
  readonly mail: InboundMail | undefined;
  readonly plan: MailPlan;
  readonly uploadLimitBytes: number;
  readonly keyOf: (part: number) => string;
  /** The upload of each file not yet posted, by part number (1…), once started. */
  readonly uploads: Map<number, Promise<EncryptedFile>>;
  /** Ends its time in flight (a second copy of the mail may then go). */
  readonly release: () => void;
}

type Prepared = { readonly kind: "prepared"; readonly mail: PreparedMail } | { readonly kind: "settled"; readonly outcome: InboundOutcome };

const ignore = (): void => undefined;

/**
 * Carries received mails into Matrix, several at a time. `process` must be called in the
 * mails' arrival order: parsing and file uploads run side by side (bounded), but each
 * mail's route is decided in arrival order (a reply waits for the message of a mail it
 * answers that is still on its way, so that it finds its thread), and the messages of one
 * room are posted in arrival order (a mail that fails holds back the later ones of its
 * room). `process` resolves once Matrix accepted every event of the mail: only then may
 * the caller mark it processed in its mailbox. Resumable at any point: the route is fixed
 * before the first event, each accepted event is recorded, and each event is sent with a
 * transaction id derived from the mail, so a retry never posts it twice.
 */
export class InboundProcessor {
  private readonly deps: InboundDeps;
  private readonly uploadSlots = pLimit(PARALLEL_UPLOADS);
  private readonly lanes = new OrderedLanes();
  /** Mails between `process` and its outcome: a lane's failure is forgotten once none is left. */
  private carrying = 0;
  /** Ledger ids of the mails in flight: a second copy of one waits for the first. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** The message of each mail in flight, by Message-ID, until it is posted and known as a thread. */
  private readonly mainsOnTheirWay = new Map<string, Promise<string>>();

  constructor(deps: InboundDeps) {
    this.deps = deps;
  }

  process(location: MailLocation, source: Buffer): Promise<InboundOutcome> {
    this.carrying++;
    const preparing = this.prepare(location, source);
    preparing.catch(ignore);
    // Queued now, in call order; the lane's step returns once the route is fixed, not once posted.
    const placing = this.lanes.run(ARRIVAL_LANE, async () => {
      const prepared = await preparing;
      return prepared.kind === "prepared" ? await this.place(prepared.mail) : { carried: Promise.resolve(prepared.outcome) };
    });
    return (async () => {
      try {
        return await (await placing).carried;
      } finally {
        const prepared = await preparing.catch(() => undefined);
        if (prepared?.kind === "prepared") prepared.mail.release();
        if (--this.carrying === 0) this.lanes.forgetFailures();
      }
    })();
  }

  /** The ledger says these mails are now marked processed in their mailbox. */
  done(inboundIds: readonly number[]): void {
    this.deps.ledger.markDone(inboundIds);
  }

  /** Parses, records and plans the mail, and starts uploading its files (unless it is a report). */
  private async prepare(location: MailLocation, source: Buffer): Promise<Prepared> {
    const { ledger } = this.deps;
    const mail = await parseMail(source).catch(() => undefined);
    const identity = identityOf(source, mail);
    const uploadLimitBytes = await this.deps.matrix.uploadLimitBytes();
    const plan: MailPlan = mail
      ? await planMail(mail, source, { uploadLimitBytes, mailboxes: this.deps.mailboxes })
      : { facts: { answers: [], patientIds: [], caseTags: [], recipients: [] }, text: undefined, html: undefined, files: source.length <= uploadLimitBytes ? [{ fileName: ORIGINAL_FILE_NAME, contentType: "message/rfc822", data: source }] : [], notes: [] };
    let record = ledger.begin(location, identity);
    const earlier = this.inFlight.get(record.id);
    if (earlier) {
      await earlier;
      record = ledger.begin(location, identity);
      if (record.status === "posting") throw new Error("an earlier copy of this mail is not carried yet");
    }
    if (record.status === "done") return { kind: "settled", outcome: { inboundId: record.id, kind: "already-done" } };
    if (record.status === "posted") return { kind: "settled", outcome: { inboundId: record.id, kind: "already-posted" } };
    let release!: () => void;
    this.inFlight.set(record.id, new Promise<void>((resolve) => (release = resolve)));
    const id = record.id;
    const prepared: PreparedMail = {
      location,
      record,
      mail,
      plan,
      uploadLimitBytes,
      keyOf: (part) => `mail:${location.mailbox}:${identity.messageId}:${identity.contentSha256}:${part}`,
      uploads: new Map(),
      release: () => {
        this.inFlight.delete(id);
        release();
      },
    };
    if (!mail?.report) this.startUploads(prepared);
    return { kind: "prepared", mail: prepared };
  }

  /** Each file whose event is not posted yet starts uploading, a few at a time across mails. */
  private startUploads(prepared: PreparedMail): void {
    for (const [index, file] of prepared.plan.files.entries()) {
      const part = index + 1;
      if (prepared.uploads.has(part) || this.deps.ledger.eventOf(prepared.record.id, part)) continue;
      const upload = this.uploadSlots(() => this.deps.matrix.uploadEncrypted(file));
      upload.catch(ignore);
      prepared.uploads.set(part, upload);
    }
  }

  /**
   * In arrival order: waits for the mails this one answers if they are still on their way,
   * fixes the route and queues the message on its room's lane. Returns without waiting for
   * the posts (wrapped, so that awaiting this does not wait for them).
   */
  private async place(prepared: PreparedMail): Promise<{ carried: Promise<InboundOutcome> }> {
    const { record, mail, plan, location } = prepared;
    const answered = [...plan.facts.answers, ...(mail?.report?.originalMessageId ? [mail.report.originalMessageId] : [])];
    for (const messageId of answered) await this.mainsOnTheirWay.get(messageId)?.catch(ignore);

    if (mail?.report) {
      const original = mail.report.originalMessageId ? this.deps.threads.byMessageId(mail.report.originalMessageId, location.mailbox) : undefined;
      if (original) {
        const { roomId, placement } = await this.placeOnce(record, { kind: "thread", thread: original });
        const notice = this.postInRoom(prepared, roomId, async () => noticeMessageContent(renderReport(mail.report!, this.deps.lang), placement), (eventId) => this.deps.ledger.markPosted(record.id, eventId));
        const carried = notice.then((): InboundOutcome => {
          this.deps.logger.info({ mailbox: location.mailbox, uid: location.uid, report: mail.report!.kind, roomId }, "mail report shown on its original");
          return { inboundId: record.id, kind: "posted" };
        });
        return { carried };
      }
      this.startUploads(prepared);
    }

    const { route, roomId, placement } = await this.placeOnce(record, routeMail(plan.facts, this.deps.lookups));
    const main = this.postInRoom(prepared, roomId, async () => {
      if (!mail) return noticeMessageContent(localize(M.unreadableMail, this.deps.lang), placement);
      const routeLine = this.routeLine(route, mail);
      const reply = renderMail(mail, plan, { lang: this.deps.lang, uploadLimitBytes: prepared.uploadLimitBytes, processedFolder: this.deps.processedFolder, routeLine });
      return mailMessageContent(reply, metaOf(mail, location.mailbox), placement);
    }, (eventId) => {
      // Known as a mail thread as soon as it is visible: a member may answer before the attachments are up.
      if (mail?.messageId) {
        const rootEventId = placement.kind === "thread" ? placement.rootEventId : eventId;
        this.deps.threads.record({ mailbox: location.mailbox, messageId: mail.messageId, roomId, eventId, rootEventId, direction: "in" });
      }
    });
    const messageId = mail?.messageId;
    if (messageId) {
      this.mainsOnTheirWay.set(messageId, main);
      const forget = (): void => void (this.mainsOnTheirWay.get(messageId) === main && this.mainsOnTheirWay.delete(messageId));
      main.then(forget, forget);
    }
    const carried = main.then(async (mainEventId): Promise<InboundOutcome> => {
      // The next mail's message first: a room encrypts one event at a time, and the later mails wait for that message, not for these files.
      await new Promise((resolve) => setImmediate(resolve));
      const rootEventId = placement.kind === "thread" ? placement.rootEventId : mainEventId;
      const filePlacement: Placement = { kind: "thread", rootEventId, inReplyTo: mainEventId, fallback: true };
      const markPosted = (): void => this.deps.ledger.markPosted(record.id, mainEventId);
      for (const [index, file] of plan.files.entries()) {
        const part = index + 1;
        const upload = prepared.uploads.get(part);
        const last = part === plan.files.length;
        await this.post(prepared, part, roomId, async () => fileMessageContent({ fileName: file.fileName, contentType: file.contentType, size: file.data.length }, await (upload ?? this.uploadSlots(() => this.deps.matrix.uploadEncrypted(file))), filePlacement), last ? markPosted : ignore);
      }
      if (plan.files.length === 0) markPosted();
      this.deps.logger.info({ mailbox: location.mailbox, uid: location.uid, route: route.kind, roomId, events: plan.files.length + 1 }, "mail bridged");
      return { inboundId: record.id, kind: "posted" };
    });
    return { carried };
  }

  /** The mail's first event, posted on its room's lane (after the messages of earlier mails in that room). */
  private postInRoom(prepared: PreparedMail, roomId: string, content: () => Promise<Record<string, unknown>>, alongside: (eventId: string) => void): Promise<string> {
    const main = this.lanes.run(`room:${roomId}`, () => this.post(prepared, 0, roomId, content, alongside));
    main.catch(ignore);
    return main;
  }

  /**
   * Sends one part of the mail unless the ledger knows it was accepted, and records it;
   * `alongside` is written in the same transaction (one disk sync per event, not two).
   */
  private async post(prepared: PreparedMail, part: number, roomId: string, content: () => Promise<Record<string, unknown>>, alongside: (eventId: string) => void = ignore): Promise<string> {
    const { ledger } = this.deps;
    const known = ledger.eventOf(prepared.record.id, part);
    if (known) {
      alongside(known);
      return known;
    }
    const eventId = await this.deps.matrix.send(roomId, await content(), prepared.keyOf(part));
    ledger.together(() => {
      ledger.recordEvent(prepared.record.id, part, eventId);
      alongside(eventId);
    });
    return eventId;
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
