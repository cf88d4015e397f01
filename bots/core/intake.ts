/** A room event as the bot sees it after decryption, without any SDK type. */
export interface IncomingEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly sender: string;
  /** The clear type: `m.room.message` for a decrypted message. */
  readonly type: string;
  readonly originServerTs: number;
  readonly encrypted: boolean;
  readonly content: Readonly<Record<string, unknown>>;
  /** For a decrypted event: whether the sender's session (device) is cross-signed by its owner. */
  readonly senderSessionVerified?: boolean;
}

/** An event the bot could not decrypt, without any SDK type. */
export interface UndecryptableEvent {
  readonly eventId: string;
  readonly roomId: string;
  readonly sender: string;
  readonly originServerTs: number;
  /** The SDK's DecryptionFailureCode, kept as a string. */
  readonly reason: string | null;
  /** The sending session, when the encrypted event names it (device id, or its Curve25519 key). */
  readonly senderDeviceId?: string;
  readonly senderKey?: string;
}

/**
 * Failures that no later key can fix, because of the sending session itself: it is not
 * cross-signed by its owner (the bot reads only verified sessions, as Element does), or it
 * withheld the keys from the bot. The person is told, on their verified sessions.
 */
export function isUnreadableSession(event: UndecryptableEvent): boolean {
  return event.reason === "UNSIGNED_SENDER_DEVICE" || event.reason === "MEGOLM_KEY_WITHHELD_FOR_UNVERIFIED_DEVICE";
}

export type IgnoreReason = "own-event" | "not-a-message" | "before-join" | "edit" | "notice" | "not-text" | "no-body";

export type Intake = { readonly kind: "ignore"; readonly reason: IgnoreReason } | { readonly kind: "text"; readonly body: string };

/**
 * Decides whether an event is a text a person typed to the bot. Bots talk with notices,
 * so notices are ignored (no bot loops); edits are ignored so a corrected command is not
 * run twice; history older than the bot's join is not acted upon.
 */
export function classifyEvent(event: IncomingEvent, botUserId: string, joinedAt: number | undefined): Intake {
  if (event.sender === botUserId) return ignore("own-event");
  if (event.type !== "m.room.message") return ignore("not-a-message");
  if (joinedAt === undefined || event.originServerTs < joinedAt) return ignore("before-join");
  const relation = event.content["m.relates_to"] as { rel_type?: unknown } | undefined;
  if (relation?.rel_type === "m.replace") return ignore("edit");
  const msgtype = event.content["msgtype"];
  if (msgtype === "m.notice") return ignore("notice");
  if (msgtype !== "m.text") return ignore("not-text");
  const body = event.content["body"];
  if (typeof body !== "string") return ignore("no-body");
  return { kind: "text", body };
}

/** A reaction (an emoji tapped on a message), as bots use them for one-tap decisions. */
export interface Reaction {
  readonly eventId: string;
  readonly roomId: string;
  readonly sender: string;
  readonly targetEventId: string;
  readonly key: string;
}

export function classifyReaction(event: IncomingEvent, botUserId: string, joinedAt: number | undefined): Reaction | undefined {
  if (event.type !== "m.reaction" || event.sender === botUserId) return undefined;
  if (joinedAt === undefined || event.originServerTs < joinedAt) return undefined;
  const relation = event.content["m.relates_to"] as { rel_type?: unknown; event_id?: unknown; key?: unknown } | undefined;
  if (relation?.rel_type !== "m.annotation" || typeof relation.event_id !== "string" || typeof relation.key !== "string") return undefined;
  return { eventId: event.eventId, roomId: event.roomId, sender: event.sender, targetEventId: relation.event_id, key: relation.key };
}

function ignore(reason: IgnoreReason): Intake {
  return { kind: "ignore", reason };
}

export interface InvitePolicy {
  readonly acceptFrom: "verified-members" | "local-users" | "anyone";
  readonly allowedUsers: readonly string[];
  readonly allowedServers: readonly string[];
  /** The bots' own homeserver, for `local-users`. */
  readonly serverName: string;
}

export function serverNameOf(userId: string): string {
  return userId.slice(userId.indexOf(":") + 1);
}

/** Whether the bot joins a room this user invited it to. */
export function acceptsInviteFrom(inviter: string, policy: InvitePolicy, isVerifiedMember: (userId: string) => boolean): boolean {
  if (policy.allowedUsers.includes(inviter)) return true;
  if (policy.allowedServers.includes(serverNameOf(inviter))) return true;
  switch (policy.acceptFrom) {
    case "anyone":
      return true;
    case "local-users":
      return serverNameOf(inviter) === policy.serverName;
    case "verified-members":
      return isVerifiedMember(inviter);
  }
}
