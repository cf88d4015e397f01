import {
  ClientEvent,
  MatrixEventEvent,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
  type MatrixClient,
  type MatrixEvent,
  type RoomMember,
} from "matrix-js-sdk";
import type { Logger } from "../logger.ts";
import { EventShieldReason } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { IncomingEvent, UndecryptableEvent } from "../intake.ts";
import { decryptAgainWhenSenderKnown, mayBeSenderKeysNotFetchedYet } from "./sender-keys-retry.ts";

/** What the bot runtime needs to hear from the homeserver, in plain data. */
export interface MatrixEventSink {
  onRoomEvent(event: IncomingEvent): Promise<void>;
  onInvite(roomId: string, inviter: string): Promise<void>;
  onOwnJoin(roomId: string, joinedAt: number): void;
  onOwnLeave(roomId: string): void;
  /** `fromCache`: the SDK replayed sync data saved on disk; the homeserver was not asked yet. */
  onSyncState(state: SyncState, at: number, fromCache: boolean): void;
  onUndecryptable(event: UndecryptableEvent): void;
  /** The homeserver skipped events in this room (a limited sync): they must be paged back. */
  onTimelineGap(roomId: string): void;
}

/**
 * Subscribes to the SDK and forwards clear (decrypted) events, invites and our own
 * membership changes. Encrypted events may be decrypted after they arrive (keys can come
 * later), so both the timeline and the "decrypted" signals feed the sink; the sink's
 * ledger keeps each event to one handling.
 */
export function connectMatrix(client: MatrixClient, sink: MatrixEventSink, logger: Logger): void {
  const botUserId = client.getSafeUserId();
  const decryptedAgain = new WeakSet<MatrixEvent>();
  const forward = (event: MatrixEvent): void => {
    if (event.isBeingDecrypted() || event.shouldAttemptDecryption()) return;
    if (event.isDecryptionFailure()) {
      if (!decryptedAgain.has(event) && mayBeSenderKeysNotFetchedYet(event)) {
        // Once more when the sender's keys are in; the outcome comes back here as "decrypted".
        decryptedAgain.add(event);
        decryptAgainWhenSenderKnown(client, event).catch((err: unknown) => {
          logger.warn({ eventId: event.getId(), roomId: event.getRoomId(), err: (err as Error).message }, "could not decrypt an event again");
          sink.onUndecryptable(toUndecryptable(event));
        });
        return;
      }
      sink.onUndecryptable(toUndecryptable(event));
      return;
    }
    const incoming = toIncoming(event);
    if (!incoming) return;
    withSenderTrust(client, event, incoming)
      .then((trusted) => sink.onRoomEvent(trusted))
      .catch((err: unknown) => {
        logger.error({ eventId: incoming.eventId, roomId: incoming.roomId, err: (err as Error).message }, "event handling failed");
      });
  };

  // History paged back after a gap arrives "to the start of the timeline": it counts too
  // (the ledger and the join time keep it to new, unhandled commands).
  client.on(RoomEvent.Timeline, (event) => forward(event));
  client.on(RoomEvent.TimelineReset, (room) => {
    if (room) sink.onTimelineGap(room.roomId);
  });
  client.on(MatrixEventEvent.Decrypted, (event) => forward(event));

  client.on(RoomMemberEvent.Membership, (event: MatrixEvent, member: RoomMember) => {
    if (member.userId !== botUserId) return;
    const roomId = member.roomId;
    if (member.membership === "invite") {
      sink.onInvite(roomId, event.getSender() ?? "").catch((err: unknown) => {
        logger.error({ roomId, err: (err as Error).message }, "invite handling failed");
      });
    } else if (member.membership === "join") {
      sink.onOwnJoin(roomId, event.getTs());
    } else if (member.membership === "leave" || member.membership === "ban") {
      sink.onOwnLeave(roomId);
    }
  });

  client.on(ClientEvent.Sync, (state, _previous, data) => sink.onSyncState(state, Date.now(), data?.fromCache === true));
}

function toIncoming(event: MatrixEvent): IncomingEvent | undefined {
  const eventId = event.getId();
  const roomId = event.getRoomId();
  const sender = event.getSender();
  if (!eventId || !roomId || !sender || event.isState()) return undefined;
  return {
    eventId,
    roomId,
    sender,
    type: event.getType(),
    originServerTs: event.getTs(),
    encrypted: event.isEncrypted(),
    content: event.getContent(),
  };
}

function toUndecryptable(event: MatrixEvent): UndecryptableEvent {
  const wire = event.getWireContent();
  return {
    eventId: event.getId() ?? "?",
    roomId: event.getRoomId() ?? "?",
    sender: event.getSender() ?? "?",
    originServerTs: event.getTs(),
    reason: event.decryptionFailureReason,
    ...(typeof wire["device_id"] === "string" ? { senderDeviceId: wire["device_id"] } : {}),
    ...(typeof wire["sender_key"] === "string" ? { senderKey: wire["sender_key"] } : {}),
  };
}

/** A decrypted message says whether its sender's session is cross-signed by its owner (what `!ping` reports). */
async function withSenderTrust(client: MatrixClient, event: MatrixEvent, incoming: IncomingEvent): Promise<IncomingEvent> {
  if (!incoming.encrypted || incoming.type !== "m.room.message") return incoming;
  const info = await client.getCrypto()?.getEncryptionInfoForEvent(event);
  if (!info) return incoming;
  const unsigned = info.shieldReason === EventShieldReason.UNSIGNED_DEVICE || info.shieldReason === EventShieldReason.UNKNOWN_DEVICE;
  return { ...incoming, senderSessionVerified: !unsigned };
}

/** The id and name of a person's session, found by the Curve25519 key an encrypted event names. */
export async function sessionOfKey(client: MatrixClient, userId: string, senderKey: string): Promise<{ deviceId: string; displayName?: string } | undefined> {
  const devices = await client.getCrypto()?.getUserDeviceInfo([userId], true);
  for (const device of devices?.get(userId)?.values() ?? []) {
    if (device.getIdentityKey() === senderKey) return { deviceId: device.deviceId, ...(device.displayName ? { displayName: device.displayName } : {}) };
  }
  return undefined;
}

/** A session's display name, as its owner named it (Element shows it in Settings › Sessions). */
export async function sessionName(client: MatrixClient, userId: string, deviceId: string): Promise<string | undefined> {
  const devices = await client.getCrypto()?.getUserDeviceInfo([userId], true);
  return devices?.get(userId)?.get(deviceId)?.displayName;
}

/** Invitations and joins that arrived while the bot was stopped, seen in the first sync. */
export function pendingMemberships(client: MatrixClient): { invites: { roomId: string; inviter: string }[]; joins: { roomId: string; joinedAt: number }[] } {
  const botUserId = client.getSafeUserId();
  const invites: { roomId: string; inviter: string }[] = [];
  const joins: { roomId: string; joinedAt: number }[] = [];
  for (const room of client.getRooms()) {
    const memberEvent = room.getMember(botUserId)?.events.member;
    if (!memberEvent) continue;
    const membership = room.getMyMembership();
    if (membership === "invite") invites.push({ roomId: room.roomId, inviter: memberEvent.getSender() ?? "" });
    if (membership === "join") joins.push({ roomId: room.roomId, joinedAt: memberEvent.getTs() });
  }
  return { invites, joins };
}

/** The timestamp of the bot's membership event in a room it has joined, if any. */
export function currentJoinTs(client: MatrixClient, roomId: string): number | undefined {
  const room = client.getRoom(roomId);
  if (!room || room.getMyMembership() !== "join") return undefined;
  return room.getMember(client.getSafeUserId())?.events.member?.getTs();
}

export function isRoomEncrypted(client: MatrixClient, roomId: string): boolean {
  return client.getRoom(roomId)?.hasEncryptionStateEvent() ?? false;
}
