import { EventType, type MatrixClient } from "matrix-js-sdk";

/** Initial state that makes a room the bot creates end-to-end encrypted from its first event. */
export const ENCRYPTED_ROOM_STATE = { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } } as const;

/** How long a send waits for the sync to show a room (just created or joined) and its encryption. */
export const ENCRYPTED_ROOM_WAIT_MS = 15_000;

/**
 * The rooms each client has seen encrypted. A room's encryption cannot be turned off, so it is
 * asked of the crypto store once, not before every event (a bridge catching up sends hundreds).
 */
const seenEncrypted = new WeakMap<MatrixClient, Set<string>>();

/**
 * Resolves once the client knows the room and knows it encrypted. The SDK would otherwise
 * send clear text into a room it has not synced yet: better refuse than leak.
 */
export async function waitUntilEncrypted(client: MatrixClient, roomId: string): Promise<void> {
  const crypto = client.getCrypto();
  if (!crypto) throw new Error("no crypto: refusing to send");
  const seen = seenEncrypted.get(client) ?? new Set<string>();
  seenEncrypted.set(client, seen);
  if (seen.has(roomId)) return;
  const deadline = Date.now() + ENCRYPTED_ROOM_WAIT_MS;
  while (!(client.getRoom(roomId) && (await crypto.isEncryptionEnabledInRoom(roomId)))) {
    if (Date.now() > deadline) throw new Error(`room ${roomId} is not known as encrypted: refusing to send`);
    await new Promise((r) => setTimeout(r, 100));
  }
  seen.add(roomId);
}
