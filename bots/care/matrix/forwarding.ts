import { decryptAttachment, type IEncryptedFile } from "matrix-encrypt-attachment";
import { MatrixEvent, type MatrixClient } from "matrix-js-sdk";
import type { OutgoingFile } from "../../core/matrix/messenger.ts";

/** What someone posted, as the bot can hand it on: a text, or a file in clear (to be encrypted again for the new reader). */
export type Posted =
  | { readonly kind: "text"; readonly sender: string; readonly at: number; readonly body: string }
  | { readonly kind: "file"; readonly sender: string; readonly at: number; readonly file: OutgoingFile };

const FILE_TYPES = new Set(["m.file", "m.image", "m.video", "m.audio"]);

/**
 * Reads back a message of an encrypted room the bot is in, decrypting it (and its file) with
 * the keys the bot received when it was sent. Someone invited later cannot decrypt what was
 * posted before them: the bot hands it on, encrypted anew for the room as it is now.
 */
export async function readPosted(client: MatrixClient, roomId: string, eventId: string): Promise<Posted | undefined> {
  const event = new MatrixEvent(await client.fetchRoomEvent(roomId, eventId));
  await client.decryptEventIfNeeded(event);
  if (event.isDecryptionFailure()) throw new Error(`cannot decrypt ${eventId} (keys not received)`);
  const content = event.getContent();
  const sender = event.getSender() ?? "";
  const at = event.getTs();
  const msgtype = content["msgtype"];
  if (msgtype === "m.text" || msgtype === "m.notice") return { kind: "text", sender, at, body: String(content["body"] ?? "") };
  if (typeof msgtype !== "string" || !FILE_TYPES.has(msgtype)) return undefined;
  const info = (content["info"] ?? {}) as { mimetype?: string };
  const name = String(content["filename"] ?? content["body"] ?? "fichier");
  const encrypted = content["file"] as (IEncryptedFile & { url?: string }) | undefined;
  const url = encrypted?.url ?? (content["url"] as string | undefined);
  if (!url) return undefined;
  const data = await download(client, url);
  const plain = encrypted ? await decryptAttachment(data, encrypted) : data;
  return { kind: "file", sender, at, file: { name, mimetype: info.mimetype ?? "application/octet-stream", data: new Uint8Array(plain) } };
}

async function download(client: MatrixClient, mxc: string): Promise<ArrayBuffer> {
  const url = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
  if (!url) throw new Error(`not a media URL: ${mxc}`);
  const response = await fetch(url, { headers: { authorization: `Bearer ${client.getAccessToken() ?? ""}` } });
  if (!response.ok) throw new Error(`media download failed: HTTP ${response.status}`);
  return response.arrayBuffer();
}
