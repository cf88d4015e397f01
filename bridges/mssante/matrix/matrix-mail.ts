import { MatrixEvent, type MatrixClient } from "matrix-js-sdk";
import { decryptAttachment, encryptAttachment } from "matrix-encrypt-attachment";
import type { Clock } from "../../../bots/core/clock.ts";
import { inviteOnce } from "../../../bots/core/matrix/marked-rooms.ts";
import { ManagedRooms } from "../../../bots/core/matrix/managed-rooms.ts";
import type { Messenger } from "../../../bots/core/matrix/messenger.ts";
import { retryRateLimited } from "../../../bots/core/matrix/rate-limit.ts";
import { sendWithTransactionId } from "../../../bots/core/matrix/idempotent-send.ts";
import { replyTransactionId } from "../../../bots/core/matrix/reply-sender.ts";
import { waitUntilEncrypted } from "../../../bots/core/matrix/room-encryption.ts";
import type { RoomId } from "../../../bots/core/matrix-ids.ts";
import type { Db } from "../../../bots/core/store/database.ts";
import { RoomKeys } from "../../../bots/core/store/room-keys.ts";
import type { InboundMatrix } from "../inbound/inbound-processor.ts";
import type { PlannedFile } from "../inbound/mail-plan.ts";
import type { Route } from "../routing/route.ts";
import type { EncryptedFile } from "./contents.ts";

/** Marks the rooms the bridge creates with their purpose, so a room created just before a crash is found again. */
export const BRIDGE_ROOM_STATE = "org.cpts.mssante_room";
const TRIAGE_KEY = "triage";

export interface TriageRoomSpec {
  readonly name: string;
  readonly topic: string;
  readonly coordinators: readonly string[];
}

/** The decrypted content of an event, read back from the homeserver. */
export interface ReadEvent {
  readonly sender: string;
  readonly type: string;
  readonly content: Record<string, unknown>;
}

/**
 * The bridge's thin Matrix adapter: encrypted rooms only, encrypted uploads (AES-CTR, spec
 * v2), sends with transaction ids derived from idempotency keys, the triage room created
 * once, events and attachments read back for outgoing mail.
 */
export class MatrixMail implements InboundMatrix {
  private readonly client: MatrixClient;
  private readonly messenger: Messenger;
  private readonly rooms: ManagedRooms;
  private readonly botId: string;
  private readonly triage: TriageRoomSpec;
  private readonly configuredUploadLimit: number | undefined;
  private uploadLimit: number | undefined;

  constructor(deps: { client: MatrixClient; messenger: Messenger; db: Db; clock: Clock; botId: string; triage: TriageRoomSpec; uploadLimitBytes: number | undefined }) {
    this.client = deps.client;
    this.messenger = deps.messenger;
    this.rooms = new ManagedRooms(deps.client, BRIDGE_ROOM_STATE, new RoomKeys(deps.db, "mssante_rooms", deps.clock));
    this.botId = deps.botId;
    this.triage = deps.triage;
    this.configuredUploadLimit = deps.uploadLimitBytes;
  }

  /** The homeserver's m.upload.size (asked once), or the configured limit if lower. */
  async uploadLimitBytes(): Promise<number> {
    if (this.uploadLimit === undefined) {
      const config = await this.client.getMediaConfig(true).catch(() => this.client.getMediaConfig(false));
      const server = config["m.upload.size"] ?? Number.MAX_SAFE_INTEGER;
      this.uploadLimit = Math.min(server, this.configuredUploadLimit ?? Number.MAX_SAFE_INTEGER);
    }
    return this.uploadLimit;
  }

  isJoined(roomId: string): boolean {
    return this.client.getRoom(roomId)?.getMyMembership() === "join";
  }

  async roomFor(route: Route): Promise<string> {
    switch (route.kind) {
      case "thread":
        return route.thread.roomId;
      case "case-patient":
      case "case-tag":
        return route.roomId;
      case "direct":
        return this.messenger.directRoom(route.userId);
      case "triage":
        return this.ensureTriageRoom();
    }
  }

  /** The coordinators' triage room, created once (encrypted, invitation only); see inviteMissingCoordinators. */
  async ensureTriageRoom(): Promise<RoomId> {
    const { roomId } = await this.rooms.ensure(TRIAGE_KEY, () => ({ name: this.triage.name, topic: this.triage.topic }));
    return roomId;
  }

  /**
   * Invites to the triage room every coordinator who is neither in it nor invited, and returns
   * those whose invitation the homeserver refused this time (the CPTS policy refuses while
   * the directory does not answer yet, e.g. when every service starts at once).
   */
  async inviteMissingCoordinators(): Promise<{ userId: string; error: string }[]> {
    const roomId = await this.ensureTriageRoom();
    const refused: { userId: string; error: string }[] = [];
    for (const userId of this.triage.coordinators) {
      await inviteOnce(this.client, roomId, userId).catch((err: unknown) => refused.push({ userId, error: (err as Error).message }));
    }
    return refused;
  }

  async uploadEncrypted(file: PlannedFile): Promise<EncryptedFile> {
    const plain = file.data.buffer.slice(file.data.byteOffset, file.data.byteOffset + file.data.byteLength) as ArrayBuffer;
    const encrypted = await encryptAttachment(plain);
    const upload = await retryRateLimited(() =>
      this.client.uploadContent(Buffer.from(encrypted.data), { type: "application/octet-stream", includeFilename: false }),
    );
    return { ...(encrypted.info as Omit<EncryptedFile, "url">), url: upload.content_uri };
  }

  async send(roomId: string, content: Record<string, unknown>, idempotencyKey: string): Promise<string> {
    await waitUntilEncrypted(this.client, roomId);
    const txnId = replyTransactionId(this.botId, idempotencyKey);
    return retryRateLimited(() => sendWithTransactionId(this.client, roomId, content, txnId));
  }

  /** An event as its sender wrote it (decrypted), asked of the homeserver. */
  async readEvent(roomId: string, eventId: string): Promise<ReadEvent> {
    const local = this.client.getRoom(roomId)?.findEventById(eventId);
    const event = local ?? new MatrixEvent(await this.client.fetchRoomEvent(roomId, eventId));
    if (event.isEncrypted() && !event.getClearContent()) await this.client.decryptEventIfNeeded(event, { emit: false });
    if (event.isDecryptionFailure()) throw new Error(`event ${eventId} cannot be decrypted`);
    return { sender: event.getSender() ?? "", type: event.getType(), content: event.getContent() };
  }

  /** Downloads and decrypts an attachment (authenticated media). */
  async download(file: EncryptedFile): Promise<Buffer> {
    const url = this.client.mxcUrlToHttp(file.url, undefined, undefined, undefined, false, true, true);
    if (!url) throw new Error("not an mxc URL");
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.client.getAccessToken() ?? ""}` } });
    if (!response.ok) throw new Error(`media download failed (${response.status})`);
    const data = await response.arrayBuffer();
    return Buffer.from(await decryptAttachment(data, file as never));
  }

  /** Downloads an unencrypted attachment (a file sent to a room before it was encrypted). */
  async downloadPlain(mxcUrl: string): Promise<Buffer> {
    const url = this.client.mxcUrlToHttp(mxcUrl, undefined, undefined, undefined, false, true, true);
    if (!url) throw new Error("not an mxc URL");
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.client.getAccessToken() ?? ""}` } });
    if (!response.ok) throw new Error(`media download failed (${response.status})`);
    return Buffer.from(await response.arrayBuffer());
  }

  displayName(roomId: string, userId: string): string {
    return this.client.getRoom(roomId)?.getMember(userId)?.rawDisplayName ?? userId;
  }
}

