import { bracketed, messageIdsOf, type MessageId } from "../mail/message-id.ts";
import { buildXdmPackage } from "../xdm/build.ts";
import { looksLikeCda, readCda } from "../xdm/cda.ts";

/** One Matrix message of the mail, read back from its event. */
export type OutboundPart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly fileName: string; readonly contentType: string; readonly data: Buffer };

/** The mail a reply answers (from its event's mail facts). */
export interface AnsweredMail {
  readonly messageId: string | undefined;
  readonly subject: string;
  readonly references: readonly string[];
}

export interface ComposeInput {
  readonly mailbox: string;
  /** Display name of the sender (the member, and the CPTS). */
  readonly fromName: string;
  readonly recipients: readonly string[];
  readonly messageId: MessageId;
  readonly answering: AnsweredMail | undefined;
  /** For a new mail: the subject; for a reply it is derived from the answered mail. */
  readonly subject: string | undefined;
  readonly parts: readonly OutboundPart[];
  readonly date: Date;
}

export interface ComposedAttachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: string;
}

/** A mail ready for nodemailer (its fields are nodemailer's message options). */
export interface ComposedMail {
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly from: { readonly name: string; readonly address: string };
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly inReplyTo: string | undefined;
  readonly references: string | undefined;
  readonly date: Date;
  readonly attachments: readonly ComposedAttachment[];
  readonly headers: Readonly<Record<string, string>>;
}

/** Header naming the patient of a structured (CDA) document, as received mail uses it for routing. */
export const PATIENT_HEADER = "X-MSS-INS";
export const XDM_FILE_NAME = "IHE_XDM.ZIP";

/**
 * Builds the mail of a Matrix message (or of several, sent together): the texts become the
 * body; files are attached; CDA documents go in an IHE XDM package with the patient's INS in
 * the MSSanté header. A reply carries In-Reply-To and References so the correspondent's
 * client threads it; its Message-ID comes from the Matrix event, stable across retries.
 */
export async function composeMail(input: ComposeInput): Promise<ComposedMail> {
  const texts = input.parts.filter((p): p is Extract<OutboundPart, { kind: "text" }> => p.kind === "text").map((p) => p.text.trim()).filter(Boolean);
  const files = input.parts.filter((p): p is Extract<OutboundPart, { kind: "file" }> => p.kind === "file");
  const cdas = files.filter((f) => looksLikeCda(f.fileName, f.contentType, f.data));
  const others = files.filter((f) => !cdas.includes(f));
  const attachments: ComposedAttachment[] = others.map((f) => ({ filename: f.fileName, content: f.data, contentType: f.contentType }));
  const headers: Record<string, string> = {};
  if (cdas.length > 0) {
    const facts = cdas.map((c) => readCda(c.data));
    const patient = facts.find((f) => f?.ins)?.ins;
    if (patient) headers[PATIENT_HEADER] = patient.id;
    const zip = await buildXdmPackage({
      documents: cdas.map((c, i) => ({ data: c.data, mimeType: "text/xml", title: facts[i]?.title ?? c.fileName, type: facts[i]?.type })),
      patient,
      author: input.mailbox,
      submittedAt: input.date,
    });
    attachments.push({ filename: XDM_FILE_NAME, content: zip, contentType: "application/zip" });
  }

  const answered = input.answering?.messageId;
  const references = answered ? [...messageIdsOf(input.answering?.references ?? []), ...messageIdsOf(answered)] : [];
  return {
    envelope: { from: input.mailbox, to: input.recipients },
    from: { name: input.fromName, address: input.mailbox },
    to: input.recipients,
    subject: input.answering ? replySubject(input.answering.subject) : input.subject?.trim() || "",
    text: `${texts.join("\n\n")}\n`,
    messageId: bracketed(input.messageId),
    inReplyTo: answered ? bracketed(messageIdsOf(answered)[0] ?? (answered as MessageId)) : undefined,
    references: references.length > 0 ? [...new Set(references)].map((id) => bracketed(id)).join(" ") : undefined,
    date: input.date,
    attachments,
    headers,
  };
}

/** `Re: ` once, whatever the correspondent's client wrote (Re, RE, Réf, Fwd…). */
export function replySubject(subject: string): string {
  const clean = subject.trim();
  return /^(re|ré|réf|ref|aw|sv)\s*:/i.test(clean) ? clean : `Re: ${clean}`;
}

/**
 * The `!mail` text after the address: on several lines, the first line is the subject;
 * on one line it is all body and the subject is left to the caller's default.
 */
export function splitCommandText(text: string): { subject: string | undefined; body: string } {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.length > 1 && lines[0]!.trim()) return { subject: lines[0]!.trim(), body: lines.slice(1).join("\n").trim() };
  return { subject: undefined, body: text.trim() };
}
