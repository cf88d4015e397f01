// The LiveKit room and participant names MatrixRTC clients expect (MSC4195, as Element's
// lk-jwt-service derives them): Element Call finds the other participants' media by these
// names, so they must match byte for byte.
import { createHash } from "node:crypto";

/** The MatrixRTC slot of a room's main call, the one Element Call and the legacy /sfu/get use. */
export const ROOM_CALL_SLOT = "m.call#ROOM";

const unpaddedBase64Sha256 = (parts: readonly string[]): string =>
  createHash("sha256").update(goJsonOfStrings(parts)).digest("base64").replace(/=+$/, "");

/**
 * Go's `json.Marshal([]string{…})`: no spaces, and `<`, `>`, `&`, U+2028, U+2029 escaped,
 * which JSON.stringify does not do.
 */
function goJsonOfStrings(parts: readonly string[]): string {
  const escape = (s: string): string =>
    JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `[${parts.map(escape).join(",")}]`;
}

/** The LiveKit room of a MatrixRTC slot of a Matrix room: a hash, so no room ID reaches the SFU. */
export function liveKitRoomFor(matrixRoomId: string, slotId: string = ROOM_CALL_SLOT): string {
  return unpaddedBase64Sha256([matrixRoomId, slotId]);
}

/** Participant identity for `/get_token` (a MatrixRTC membership: user, device, member id). */
export function liveKitIdentityFor(userId: string, deviceId: string, memberId: string): string {
  return unpaddedBase64Sha256([userId, deviceId, memberId]);
}

/** Participant identity for the legacy `/sfu/get`: `@user:server:DEVICE`, as Element Call reads it from the call membership. */
export function legacyLiveKitIdentity(userId: string, deviceId: string): string {
  return `${userId}:${deviceId}`;
}
