import { encryptAttachment } from "matrix-encrypt-attachment";
import { EventType, MsgType, Preset, Visibility, type MatrixClient } from "matrix-js-sdk";
import pLimit from "p-limit";
import type { Reply } from "../commands/command.ts";
import type { Db } from "../store/database.ts";
import { sendWithTransactionId } from "./idempotent-send.ts";
import { retryRateLimited } from "./rate-limit.ts";
import { noticeContent, replyTransactionId } from "./reply-sender.ts";
import { ENCRYPTED_ROOM_STATE, ENCRYPTED_ROOM_WAIT_MS, waitUntilEncrypted } from "./room-encryption.ts";

/**
 * Direct messages in flight at once in `directMany`: each DM is its own room with its own
 * Megolm session, so sends overlap their encryption, crypto-store writes and round trips;
 * a handful is enough for that without flooding the homeserver.
 */
const DIRECT_SENDS_IN_FLIGHT = 8;

export interface DirectMessage {
  readonly reply: Reply;
  readonly idempotencyKey: string;
}

export interface SentDirect {
  readonly roomId: string;
  readonly eventId: string;
}

export interface OutgoingFile {
  readonly name: string;
  readonly mimetype: string;
  readonly data: Uint8Array;
}

/**
 * What a bot says outside a command reply: notices to a room, direct messages to a person.
 * Sends only into rooms the client knows to be encrypted (the SDK would otherwise send
 * clear text into a room it has not synced yet). An idempotency key makes a resend after a
 * crash reuse the transaction id, so the homeserver keeps one message.
 */
export class Messenger {
  private readonly client: MatrixClient;
  private readonly db: Db;
  private readonly botId: string;
  /** DMs being looked up or created, so two sends to one person at once open one room. */
  private readonly openingDirectRooms = new Map<string, Promise<string>>();

  constructor(client: MatrixClient, db: Db, botId: string) {
    this.client = client;
    this.db = db;
    this.botId = botId;
  }

  async notice(roomId: string, reply: Reply, idempotencyKey?: string, inReplyTo?: string): Promise<string> {
    return this.send(roomId, noticeContent(reply, inReplyTo), idempotencyKey);
  }

  /**
   * A message that notifies the people it names (an alert to a care team): a text with
   * m.mentions, since notices never notify (push rule .m.rule.suppress_notices).
   */
  async mention(roomId: string, reply: Reply, userIds: readonly string[], idempotencyKey?: string, inReplyTo?: string): Promise<string> {
    const content = { ...noticeContent(reply, inReplyTo), msgtype: MsgType.Text, "m.mentions": { user_ids: [...userIds] } };
    return this.send(roomId, content, idempotencyKey);
  }

  /** Replaces the text of one of the bot's messages (Element shows it "edited"). */
  async edit(roomId: string, eventId: string, reply: Reply, idempotencyKey?: string): Promise<string> {
    const replacement = noticeContent(reply);
    const content = {
      ...replacement,
      body: `* ${reply.text}`,
      "m.new_content": replacement,
      "m.relates_to": { rel_type: "m.replace", event_id: eventId },
    };
    return this.send(roomId, content, idempotencyKey);
  }

  /** A file, encrypted client-side (AES-CTR per the Matrix spec) before the upload: the homeserver stores ciphertext only. */
  async file(roomId: string, file: OutgoingFile, idempotencyKey?: string): Promise<string> {
    await waitUntilEncrypted(this.client, roomId);
    const plain = file.data.buffer.slice(file.data.byteOffset, file.data.byteOffset + file.data.byteLength) as ArrayBuffer;
    const { data, info } = await encryptAttachment(plain);
    const upload = await this.client.uploadContent(new Blob([data]), { type: "application/octet-stream", includeFilename: false });
    const content = {
      msgtype: MsgType.File,
      body: file.name,
      filename: file.name,
      info: { mimetype: file.mimetype, size: file.data.byteLength },
      file: { ...info, url: upload.content_uri },
    };
    return this.send(roomId, content, idempotencyKey);
  }

  private async send(roomId: string, content: Record<string, unknown>, idempotencyKey: string | undefined): Promise<string> {
    await waitUntilEncrypted(this.client, roomId);
    if (idempotencyKey !== undefined) return sendWithTransactionId(this.client, roomId, content, replyTransactionId(this.botId, idempotencyKey));
    const sent = await this.client.sendEvent(roomId, EventType.RoomMessage, content as never);
    return sent.event_id;
  }

  /** A direct message, in the bot's encrypted DM with that person (created the first time). */
  async direct(userId: string, reply: Reply, idempotencyKey?: string): Promise<{ roomId: string; eventId: string }> {
    const roomId = await this.directRoom(userId);
    return { roomId, eventId: await this.notice(roomId, reply, idempotencyKey) };
  }

  /**
   * One direct message to each of many people (a dispatch): DMs opened and messages sent
   * concurrently, a bounded number at a time. `onSent` runs right after each message is
   * sent (to record it before anything else can fail). Every recipient is tried even if
   * some fail; then the first failure is thrown, so the caller retries those not recorded.
   */
  async directMany<U extends string>(recipients: readonly U[], message: (userId: U) => DirectMessage, onSent: (userId: U, sent: SentDirect) => void): Promise<void> {
    const unique = [...new Set(recipients)];
    const firstContacts = unique.filter((userId) => this.knownDirectRoom(userId) === undefined);
    const inFlight = pLimit(DIRECT_SENDS_IN_FLIGHT);
    if (firstContacts.length > 1) {
      // A DM that fails to open here fails again, and is reported, in its send below.
      await Promise.allSettled(firstContacts.map((userId) => inFlight(() => this.directRoom(userId))));
      // Only a shortcut: a device left without a session (no one-time key left, say) fails
      // it, and gets its session at the first send as before.
      await this.establishOlmSessions(firstContacts).catch(() => undefined);
    }
    const outcomes = await Promise.allSettled(
      unique.map((userId) =>
        inFlight(async () => {
          const { reply, idempotencyKey } = message(userId);
          // Many sends at once may meet the homeserver's message rate limit: wait as it asks
          // (the idempotency key makes the retry resend the same event, never a second one).
          onSent(userId, await retryRateLimited(() => this.direct(userId, reply, idempotencyKey)));
        }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === "rejected");
    if (failed.length > 0) throw new Error(`${failed.length} of ${outcomes.length} direct message(s) not sent: ${String(failed[0]!.reason instanceof Error ? failed[0]!.reason.message : failed[0]!.reason)}`);
  }

  /** The bot's DM with that person if there is one already (recorded, or opened by them), without opening one. */
  directRoomIfOpen(userId: string): string | undefined {
    return this.knownDirectRoom(userId) ?? this.existingDirectRoom(userId);
  }

  directRoom(userId: string): Promise<string> {
    const opening = this.openingDirectRooms.get(userId);
    if (opening) return opening;
    const lookup = this.lookUpOrCreateDirectRoom(userId).finally(() => this.openingDirectRooms.delete(userId));
    this.openingDirectRooms.set(userId, lookup);
    return lookup;
  }

  /**
   * Olm sessions with the devices of people first contacted, in one /keys/claim: the SDK
   * claims one-time keys one room at a time, in turn, so a first dispatch would wait for as
   * many claims as new DMs. The m.dummy batch encrypted for that is dropped unsent; a person
   * whose devices are not known yet gets its session at the first send, as before.
   */
  private async establishOlmSessions(userIds: readonly string[]): Promise<void> {
    const crypto = this.client.getCrypto();
    if (!crypto) return;
    const devices = await crypto.getUserDeviceInfo([...userIds]);
    const targets = [...devices].flatMap(([userId, byDevice]) => [...byDevice.keys()].map((deviceId) => ({ userId, deviceId })));
    if (targets.length > 0) await crypto.encryptToDeviceMessages(EventType.Dummy, targets, {});
  }

  private knownDirectRoom(userId: string): string | undefined {
    const known = this.db.prepare("SELECT room_id FROM direct_rooms WHERE bot_id = ? AND user_id = ?").get(this.botId, userId) as { room_id: string } | undefined;
    return known && this.stillShared(known.room_id, userId) ? known.room_id : undefined;
  }

  private async lookUpOrCreateDirectRoom(userId: string): Promise<string> {
    const known = this.knownDirectRoom(userId);
    if (known) return known;
    const roomId = this.existingDirectRoom(userId) ?? (await this.createDirectRoom(userId));
    this.db
      .prepare("INSERT INTO direct_rooms (bot_id, user_id, room_id) VALUES (?, ?, ?) ON CONFLICT (bot_id, user_id) DO UPDATE SET room_id = excluded.room_id")
      .run(this.botId, userId, roomId);
    return roomId;
  }

  /**
   * A two-person room the person opened with the bot (how people usually reach a bot).
   * Named rooms and Spaces are shared rooms that merely have two members so far.
   */
  private existingDirectRoom(userId: string): string | undefined {
    return this.client
      .getRooms()
      .filter(
        (room) =>
          room.getJoinedMemberCount() + room.getInvitedMemberCount() === 2 &&
          !room.currentState.getStateEvents(EventType.RoomName, "") &&
          !room.isSpaceRoom() &&
          this.stillShared(room.roomId, userId),
      )
      .sort((a, b) => b.getLastActiveTimestamp() - a.getLastActiveTimestamp())[0]?.roomId;
  }

  private async createDirectRoom(userId: string): Promise<string> {
    const { room_id: roomId } = await this.client.createRoom({
      preset: Preset.TrustedPrivateChat,
      visibility: Visibility.Private,
      is_direct: true,
      invite: [userId],
      initial_state: [ENCRYPTED_ROOM_STATE],
    });
    await this.waitUntilMembers(roomId, [userId]);
    return roomId;
  }

  /**
   * Waits until the bot's sync shows these people joined or invited. A room can reach the
   * sync before the invitation that created it along; a message sent then would be encrypted
   * for nobody but the bot, and the person invited could never read it.
   */
  async waitUntilMembers(roomId: string, userIds: readonly string[]): Promise<void> {
    const deadline = Date.now() + ENCRYPTED_ROOM_WAIT_MS;
    const present = (userId: string): boolean => ["invite", "join"].includes(this.client.getRoom(roomId)?.getMember(userId)?.membership ?? "");
    while (!userIds.every(present)) {
      if (Date.now() > deadline) throw new Error(`room ${roomId}: the invitation of ${userIds.filter((u) => !present(u)).join(", ")} is not synced yet`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private stillShared(roomId: string, userId: string): boolean {
    const room = this.client.getRoom(roomId);
    const theirs = room?.getMember(userId)?.membership;
    return room?.getMyMembership() === "join" && (theirs === "join" || theirs === "invite");
  }
}
