import type { Reply } from "../../../bots/core/commands/command.ts";

/** Key of the mail facts carried inside the (encrypted) event of a bridged mail. */
export const MAIL_META_KEY = "org.cpts.mssante.mail";

/** What a reply needs to know about a mail, read back from its event: never kept in the database. */
export interface MailMeta {
  readonly mailbox: string;
  readonly messageId: string | undefined;
  readonly subject: string;
  readonly from: string | undefined;
  readonly replyTo: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly references: readonly string[];
}

/** An attachment as Matrix carries it encrypted (spec: EncryptedFile). */
export interface EncryptedFile {
  readonly url: string;
  readonly key: { readonly kty: "oct"; readonly key_ops: string[]; readonly alg: "A256CTR"; readonly k: string; readonly ext: true };
  readonly iv: string;
  readonly hashes: { readonly sha256: string };
  readonly v: "v2";
}

/** Where an event goes: the main timeline, or a thread (answering one of its events). */
export type Placement = { readonly kind: "main" } | { readonly kind: "thread"; readonly rootEventId: string; readonly inReplyTo: string; readonly fallback: boolean };

function relation(placement: Placement): Record<string, unknown> {
  if (placement.kind === "main") return {};
  return {
    "m.relates_to": {
      rel_type: "m.thread",
      event_id: placement.rootEventId,
      is_falling_back: placement.fallback,
      "m.in_reply_to": { event_id: placement.inReplyTo },
    },
  };
}

export function mailMessageContent(reply: Reply, meta: MailMeta, placement: Placement): Record<string, unknown> {
  return {
    msgtype: "m.text",
    body: reply.text,
    ...(reply.html ? { format: "org.matrix.custom.html", formatted_body: reply.html } : {}),
    [MAIL_META_KEY]: meta,
    ...relation(placement),
  };
}

export function noticeMessageContent(text: string, placement: Placement): Record<string, unknown> {
  return { msgtype: "m.notice", body: text, ...relation(placement) };
}

export function fileMessageContent(file: { fileName: string; contentType: string; size: number }, encrypted: EncryptedFile, placement: Placement): Record<string, unknown> {
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(file.contentType);
  return {
    msgtype: isImage ? "m.image" : "m.file",
    body: file.fileName,
    filename: file.fileName,
    info: { mimetype: file.contentType, size: file.size },
    file: { ...encrypted, mimetype: file.contentType },
    ...relation(placement),
  };
}

/** The mail facts of a bridged mail event, if it is one. */
export function mailMetaOf(content: Readonly<Record<string, unknown>>): MailMeta | undefined {
  const meta = content[MAIL_META_KEY] as Partial<MailMeta> | undefined;
  if (!meta || typeof meta.mailbox !== "string") return undefined;
  return {
    mailbox: meta.mailbox,
    messageId: typeof meta.messageId === "string" ? meta.messageId : undefined,
    subject: typeof meta.subject === "string" ? meta.subject : "",
    from: typeof meta.from === "string" ? meta.from : undefined,
    replyTo: Array.isArray(meta.replyTo) ? meta.replyTo.filter((a): a is string => typeof a === "string") : [],
    to: Array.isArray(meta.to) ? meta.to.filter((a): a is string => typeof a === "string") : [],
    cc: Array.isArray(meta.cc) ? meta.cc.filter((a): a is string => typeof a === "string") : [],
    references: Array.isArray(meta.references) ? meta.references.filter((a): a is string => typeof a === "string") : [],
  };
}

/**
 * The thread an event belongs to and the event it answers, from its relation. In a thread,
 * `m.in_reply_to` is only a fallback for old clients (`is_falling_back`) unless the member
 * replied to one message of the thread: then `explicitReply` is true.
 */
export function threadOfContent(content: Readonly<Record<string, unknown>>): { rootEventId: string | undefined; inReplyTo: string | undefined; explicitReply: boolean } {
  const rel = content["m.relates_to"] as { rel_type?: unknown; event_id?: unknown; is_falling_back?: unknown; "m.in_reply_to"?: { event_id?: unknown } } | undefined;
  const rootEventId = rel?.rel_type === "m.thread" && typeof rel.event_id === "string" ? rel.event_id : undefined;
  const replyTarget = rel?.["m.in_reply_to"]?.event_id;
  const inReplyTo = typeof replyTarget === "string" ? replyTarget : undefined;
  return { rootEventId, inReplyTo, explicitReply: inReplyTo !== undefined && (rootEventId === undefined || rel?.is_falling_back !== true) };
}
