import { createHash } from "node:crypto";
import { MsgType, type MatrixClient } from "matrix-js-sdk";
import { sendWithTransactionId } from "./idempotent-send.ts";
import type { Reply } from "../commands/command.ts";

/**
 * Transaction id derived from the command's event: if the bot dies after sending and
 * before recording it, the retry after restart reuses the id and the homeserver returns
 * the first event instead of posting a second reply.
 */
export function replyTransactionId(botId: string, commandEventId: string): string {
  return `cpts-${createHash("sha256").update(`${botId}\0${commandEventId}`).digest("hex").slice(0, 32)}`;
}

/** Bots speak in notices: bots do not answer notices, so bots never loop. */
export function noticeContent(reply: Reply, inReplyTo?: string): Record<string, unknown> {
  return {
    msgtype: MsgType.Notice,
    body: reply.text,
    ...(reply.html ? { format: "org.matrix.custom.html", formatted_body: reply.html } : {}),
    ...(inReplyTo ? { "m.relates_to": { "m.in_reply_to": { event_id: inReplyTo } } } : {}),
  };
}

export async function sendReply(client: MatrixClient, botId: string, roomId: string, commandEventId: string, reply: Reply): Promise<string> {
  const content = noticeContent(reply, commandEventId);
  return sendWithTransactionId(client, roomId, content, replyTransactionId(botId, commandEventId));
}
