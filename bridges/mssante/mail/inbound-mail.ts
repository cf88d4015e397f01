import { simpleParser, type AddressObject, type HeaderValue } from "mailparser";
import { messageIdOf, messageIdsOf, type MessageId } from "./message-id.ts";
import { readReport, type ContentType, type MailReport } from "./report.ts";

export interface MailAddress {
  /** Lower-case. */
  readonly address: string;
  readonly name: string;
}

export interface MailAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** A received mail, decoded (charsets, transfer encodings, encoded words), before any policy. */
export interface InboundMail {
  readonly messageId: MessageId | undefined;
  readonly inReplyTo: readonly MessageId[];
  readonly references: readonly MessageId[];
  readonly from: MailAddress | undefined;
  readonly replyTo: readonly MailAddress[];
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  /** Delivered-To / X-Original-To: the envelope recipients the server recorded. */
  readonly deliveredTo: readonly string[];
  readonly subject: string;
  readonly date: Date | undefined;
  readonly text: string | undefined;
  /** As written by the sender: sanitise before showing. */
  readonly html: string | undefined;
  readonly attachments: readonly MailAttachment[];
  /** The patient's INS given by the sender in the X-MSS-INS header. */
  readonly patientIdHeader: string | undefined;
  /** Set when the mail is a delivery-status notification or a read receipt. */
  readonly report: MailReport | undefined;
}

export async function parseMail(source: Buffer): Promise<InboundMail> {
  const parsed = await simpleParser(source, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, keepCidLinks: true });
  const header = (name: string): string | undefined => headerText(parsed.headers.get(name));
  const inReplyTo = messageIdsOf(parsed.inReplyTo);
  const messageId = messageIdOf(parsed.messageId);
  return {
    messageId,
    inReplyTo,
    references: messageIdsOf(parsed.references),
    from: addresses(parsed.from)[0],
    replyTo: addresses(parsed.replyTo),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    deliveredTo: [...headerValues(parsed.headerLines, "delivered-to"), ...headerValues(parsed.headerLines, "x-original-to")],
    subject: parsed.subject ?? "",
    date: parsed.date,
    text: parsed.text?.trim() ? parsed.text : undefined,
    html: typeof parsed.html === "string" && parsed.html.trim() ? parsed.html : undefined,
    attachments: parsed.attachments.map((a, index) => ({
      fileName: a.filename?.trim() || defaultName(index, a.contentType),
      contentType: a.contentType.toLowerCase(),
      data: a.content,
    })),
    patientIdHeader: header("x-mss-ins")?.replace(/\s+/g, "") || undefined,
    report: readReport(source, contentTypeOf(parsed.headers.get("content-type")), inReplyTo[0]),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const flat = objects.flatMap((o) => o.value).flatMap((a) => (a.group ? a.group : [a]));
  return flat.filter((a) => a.address).map((a) => ({ address: a.address!.toLowerCase(), name: a.name ?? "" }));
}

function headerText(value: HeaderValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "value" in value && typeof value.value === "string") return value.value;
  return undefined;
}

function headerValues(lines: readonly { key: string; line: string }[], key: string): string[] {
  return lines
    .filter((l) => l.key === key)
    .map((l) => l.line.slice(l.line.indexOf(":") + 1).trim().replace(/^<|>$/g, "").toLowerCase())
    .filter(Boolean);
}

function contentTypeOf(value: HeaderValue | undefined): ContentType | undefined {
  if (value && typeof value === "object" && "value" in value && typeof value.value === "string") {
    return { value: value.value, params: (value as { params?: Record<string, string> }).params ?? {} };
  }
  return undefined;
}

function defaultName(index: number, contentType: string): string {
  const extension = contentType.split("/")[1]?.split(/[;+]/)[0] ?? "bin";
  return `piece-jointe-${index + 1}.${extension === "octet-stream" ? "bin" : extension}`;
}
