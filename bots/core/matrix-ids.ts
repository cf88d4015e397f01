// Matrix identifiers, typed so a room id, an event id, a user id or a display name is never
// passed for another. Parsed once here; everything else asks these functions.

/** A Matrix user id (@local:server). */
export type UserId = string & { readonly __brand: "UserId" };
/** A room id: "!opaque:server", or "!opaque" from room version 12 on. */
export type RoomId = string & { readonly __brand: "RoomId" };
/** An event id ("$opaque"). */
export type EventId = string & { readonly __brand: "EventId" };

/** The spec's longest identifier (user, room and event ids alike), in bytes. */
const MAX_ID_BYTES = 255;

// The localpart grammar of user ids Synapse registers (lower case, digits, ._=-/+), and a
// server name: a DNS name or IPv4 address, with an optional port.
const USER_ID = /^@[a-z0-9._=\-/+]+:[a-zA-Z0-9.-]+(:\d{1,5})?$/;
const ROOM_ID = /^![^\s]+$/;
const EVENT_ID = /^\$[^\s]+$/;

const withinLength = (value: string): boolean => Buffer.byteLength(value, "utf8") <= MAX_ID_BYTES;

export function isUserId(value: string): value is UserId {
  return USER_ID.test(value) && withinLength(value);
}

export function userId(value: string): UserId {
  if (!isUserId(value)) throw new Error(`not a Matrix user id: ${value}`);
  return value;
}

export function isRoomId(value: string): value is RoomId {
  return ROOM_ID.test(value) && withinLength(value);
}

export function roomId(value: string): RoomId {
  if (!isRoomId(value)) throw new Error(`not a Matrix room id: ${value}`);
  return value;
}

export function isEventId(value: string): value is EventId {
  return EVENT_ID.test(value) && withinLength(value);
}

export function eventId(value: string): EventId {
  if (!isEventId(value)) throw new Error(`not a Matrix event id: ${value}`);
  return value;
}
