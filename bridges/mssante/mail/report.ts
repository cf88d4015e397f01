import { messageIdOf, type MessageId } from "./message-id.ts";

/** One recipient of a delivery-status notification (RFC 3464). */
export interface DeliveryStatus {
  readonly recipient: string;
  /** failed, delayed, delivered, relayed or expanded. */
  readonly action: string;
  /** Enhanced status code such as 5.1.1. */
  readonly status: string | undefined;
  readonly diagnostic: string | undefined;
}

/** What a report mail says about an earlier mail. */
export type MailReport =
  | { readonly kind: "delivery-status"; readonly originalMessageId: MessageId | undefined; readonly recipients: readonly DeliveryStatus[] }
  | {
      readonly kind: "read-receipt";
      readonly originalMessageId: MessageId | undefined;
      readonly recipient: string | undefined;
      /** The disposition type: displayed, deleted, dispatched, processed… */
      readonly disposition: string;
    };

export interface ContentType {
  readonly value: string;
  readonly params: Readonly<Record<string, string>>;
}

interface MimePart {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Reads a `multipart/report` mail (RFC 6522): a delivery-status notification (RFC 3464)
 * or a read receipt (message disposition notification, RFC 8098). Undefined for any other
 * mail. `fallbackOriginal` is used when the report does not name the original itself
 * (In-Reply-To of the report).
 */
export function readReport(source: Buffer, topType: ContentType | undefined, fallbackOriginal: MessageId | undefined): MailReport | undefined {
  if (topType?.value.toLowerCase() !== "multipart/report") return undefined;
  const reportType = (topType.params["report-type"] ?? "").toLowerCase();
  const boundary = topType.params["boundary"];
  if (!boundary) return undefined;
  const parts = splitMultipart(source, boundary);
  if (reportType === "delivery-status") {
    const status = parts.find((p) => p.contentType === "message/delivery-status" || p.contentType === "message/global-delivery-status");
    if (!status) return undefined;
    const blocks = fieldBlocks(status.body.toString("utf8"));
    const recipients = blocks.slice(1).flatMap((fields): DeliveryStatus[] => {
      const recipient = addressOfTypedField(fields.get("final-recipient") ?? fields.get("original-recipient"));
      const action = fields.get("action");
      if (!recipient || !action) return [];
      return [{ recipient, action: action.toLowerCase(), status: fields.get("status"), diagnostic: diagnosticText(fields.get("diagnostic-code")) }];
    });
    return { kind: "delivery-status", originalMessageId: originalFromReturnedHeaders(parts) ?? fallbackOriginal, recipients };
  }
  if (reportType === "disposition-notification") {
    const notification = parts.find((p) => p.contentType === "message/disposition-notification" || p.contentType === "message/global-disposition-notification");
    if (!notification) return undefined;
    const fields = fieldBlocks(notification.body.toString("utf8"))[0] ?? new Map<string, string>();
    const disposition = (fields.get("disposition") ?? "").split(";").pop()?.trim().split(/[\s/]/)[0]?.toLowerCase() ?? "";
    return {
      kind: "read-receipt",
      originalMessageId: messageIdOf(fields.get("original-message-id")) ?? originalFromReturnedHeaders(parts) ?? fallbackOriginal,
      recipient: addressOfTypedField(fields.get("final-recipient") ?? fields.get("original-recipient")),
      disposition: disposition || "displayed",
    };
  }
  return undefined;
}

/** The Message-ID in the returned headers or message a report carries. */
function originalFromReturnedHeaders(parts: readonly MimePart[]): MessageId | undefined {
  const returned = parts.find((p) => p.contentType === "text/rfc822-headers" || p.contentType === "message/rfc822" || p.contentType === "message/global-headers");
  if (!returned) return undefined;
  const headerBlock = returned.body.toString("utf8").split(/\r?\n\r?\n/)[0] ?? "";
  return messageIdOf(unfoldedFields(headerBlock).get("message-id"));
}

/** `rfc822; someone@example.org` → `someone@example.org`. */
function addressOfTypedField(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const address = value.includes(";") ? value.slice(value.indexOf(";") + 1) : value;
  return address.trim().replace(/^<|>$/g, "") || undefined;
}

function diagnosticText(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return (value.includes(";") ? value.slice(value.indexOf(";") + 1) : value).trim();
}

/** Header-style fields in blocks separated by blank lines (the shape of RFC 3464 and 8098 bodies). */
function fieldBlocks(text: string): Map<string, string>[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((block) => unfoldedFields(block))
    .filter((fields) => fields.size > 0);
}

function unfoldedFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

/** The direct parts of a multipart body (report parts are machine-written and flat). */
function splitMultipart(source: Buffer, boundary: string): MimePart[] {
  const text = source.toString("latin1");
  const delimiter = `--${boundary}`;
  const sections = text.split(new RegExp(`\\r?\\n${escapeRegExp(delimiter)}(?:--)?[ \\t]*(?=\\r?\\n|$)`));
  return sections.slice(1).flatMap((section): MimePart[] => {
    const content = section.replace(/^\r?\n/, "");
    const split = /\r?\n\r?\n/.exec(content);
    if (!split) return [];
    const headers = unfoldedFields(content.slice(0, split.index));
    const rawBody = content.slice(split.index + split[0].length);
    const contentType = (headers.get("content-type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();
    return [{ contentType, body: decodeBody(rawBody, (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase()) }];
  });
}

function decodeBody(body: string, encoding: string): Buffer {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64");
  if (encoding === "quoted-printable") {
    return Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
  }
  return Buffer.from(body, "latin1");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
