import type { InboundMail } from "../mail/inbound-mail.ts";
import { sanitizeMailHtml } from "../mail/sanitize.ts";
import { answeredIds, caseTagsOf, type RoutingFacts } from "../routing/route.ts";
import type { XdmCode } from "../xdm/metadata.ts";
import { looksLikeZip, readXdmPackage, type XdmProblem, type ZipLimits, type ZipRefusal, DEFAULT_ZIP_LIMITS } from "../xdm/unpack.ts";

/** A file to upload after the mail's message, in this order. */
export interface PlannedFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** A document of an IHE XDM package that matched METADATA.XML, as METADATA.XML describes it. */
export interface VerifiedDocument {
  readonly fileName: string;
  readonly title: string | undefined;
  readonly type: XdmCode | undefined;
}

/** Something the room should be told about the mail, rendered in its language. */
export type MailNote =
  | { readonly kind: "not-carried"; readonly names: readonly { fileName: string; size: number }[] }
  | { readonly kind: "text-truncated" }
  | { readonly kind: "html-dropped" }
  | { readonly kind: "remote-images"; readonly count: number }
  | { readonly kind: "xdm-verified"; readonly zip: string; readonly documents: readonly VerifiedDocument[] }
  | { readonly kind: "xdm-problem"; readonly zip: string; readonly problem: XdmProblem }
  | { readonly kind: "zip-refused"; readonly zip: string; readonly reason: ZipRefusal };

export interface MailPlan {
  readonly facts: RoutingFacts;
  readonly text: string | undefined;
  readonly html: string | undefined;
  readonly files: readonly PlannedFile[];
  readonly notes: readonly MailNote[];
}

export interface PlanOptions {
  readonly uploadLimitBytes: number;
  /** The bridge's mailbox addresses (for sub-address case tags). */
  readonly mailboxes: readonly string[];
  readonly zipLimits?: ZipLimits;
}

/**
 * Room for the mail's text in one event: an encrypted event is at most 64 KiB, and
 * encryption grows the JSON by a third.
 */
export const MAX_TEXT_BYTES = 14_000;
export const MAX_HTML_BYTES = 18_000;
export const ORIGINAL_FILE_NAME = "courriel-original.eml";

/**
 * What a received mail becomes in Matrix, before knowing the room: routing facts, the text
 * and sanitised HTML (within an event's size), the files to upload (attachments, the
 * verified documents of IHE XDM packages, the original .eml) and the notes for the room.
 */
export async function planMail(mail: InboundMail, source: Buffer, options: PlanOptions): Promise<MailPlan> {
  const notes: MailNote[] = [];
  const candidates: PlannedFile[] = [];
  const patientIds = new Set<string>(mail.patientIdHeader ? [mail.patientIdHeader] : []);
  for (const attachment of mail.attachments) {
    candidates.push(attachment);
    if (!looksLikeZip(attachment.fileName, attachment.contentType)) continue;
    const reading = await readXdmPackage(attachment.data, options.zipLimits ?? DEFAULT_ZIP_LIMITS);
    if (reading.kind === "refused") notes.push({ kind: "zip-refused", zip: attachment.fileName, reason: reading.reason });
    if (reading.kind !== "package") continue;
    for (const id of reading.patientIds) patientIds.add(id);
    for (const problem of reading.problems) notes.push({ kind: "xdm-problem", zip: attachment.fileName, problem });
    if (reading.documents.length > 0) notes.push({ kind: "xdm-verified", zip: attachment.fileName, documents: reading.documents.map(({ fileName, title, type }) => ({ fileName, title, type })) });
    for (const doc of reading.documents) candidates.push({ fileName: doc.fileName, contentType: doc.mimeType, data: doc.data });
  }
  candidates.push({ fileName: ORIGINAL_FILE_NAME, contentType: "message/rfc822", data: source });

  const files = candidates.filter((f) => f.data.length <= options.uploadLimitBytes);
  const tooLarge = candidates.filter((f) => f.data.length > options.uploadLimitBytes);
  if (tooLarge.length > 0) notes.push({ kind: "not-carried", names: tooLarge.map((f) => ({ fileName: f.fileName, size: f.data.length })) });

  let text = mail.text;
  if (text !== undefined && Buffer.byteLength(text) > MAX_TEXT_BYTES) {
    text = truncateUtf8(text, MAX_TEXT_BYTES);
    notes.push({ kind: "text-truncated" });
  }
  let html: string | undefined;
  if (mail.html !== undefined) {
    const sanitized = sanitizeMailHtml(mail.html);
    if (sanitized.remoteImagesBlocked > 0) notes.push({ kind: "remote-images", count: sanitized.remoteImagesBlocked });
    if (Buffer.byteLength(sanitized.html) > MAX_HTML_BYTES) notes.push({ kind: "html-dropped" });
    else if (sanitized.html) html = sanitized.html;
  }

  const recipients = [...mail.to, ...mail.cc].map((a) => a.address).concat(mail.deliveredTo);
  return {
    facts: {
      answers: answeredIds(mail.inReplyTo, mail.references),
      patientIds: [...patientIds],
      caseTags: caseTagsOf(mail.subject, recipients, options.mailboxes),
      recipients: [...new Set(recipients)],
    },
    text,
    html,
    files,
    notes,
  };
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8").subarray(0, maxBytes);
  return bytes.toString("utf8").replace(/\uFFFD$/, "") + " […]";
}
