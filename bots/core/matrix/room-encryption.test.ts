import type { MatrixClient } from "matrix-js-sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ENCRYPTED_ROOM_WAIT_MS, waitUntilEncrypted } from "./room-encryption.ts";

/** A client whose sync shows the room, and its encryption, only when the test says so. */
function fakeClient(withCrypto = true) {
  const state = { known: false, encrypted: false, asked: 0 };
  const client = {
    getRoom: (roomId: string) => (state.known ? { roomId } : null),
    getCrypto: () => (withCrypto ? { isEncryptionEnabledInRoom: async () => (state.asked++, state.encrypted) } : undefined),
  } as unknown as MatrixClient;
  return { client, state };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("waitUntilEncrypted", () => {
  it("waits for the sync to show the room and its encryption", async () => {
    vi.useFakeTimers();
    const { client, state } = fakeClient();
    let done = false;
    const waiting = waitUntilEncrypted(client, "!case:cpts.test").then(() => (done = true));
    state.known = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(false);
    state.encrypted = true;
    await vi.advanceTimersByTimeAsync(200);
    await waiting;
    expect(done).toBe(true);
  });

  it("asks the crypto store once per room, once the room is known encrypted", async () => {
    const { client, state } = fakeClient();
    state.known = state.encrypted = true;
    await waitUntilEncrypted(client, "!triage:cpts.test");
    await waitUntilEncrypted(client, "!triage:cpts.test");
    await waitUntilEncrypted(client, "!triage:cpts.test");
    expect(state.asked).toBe(1);
    await waitUntilEncrypted(client, "!other:cpts.test");
    expect(state.asked).toBe(2);
  });

  it("refuses to send into a room never known as encrypted, or without crypto", async () => {
    vi.useFakeTimers();
    const { client, state } = fakeClient();
    state.known = true;
    const refused = expect(waitUntilEncrypted(client, "!clear:cpts.test")).rejects.toThrow("room !clear:cpts.test is not known as encrypted: refusing to send");
    await vi.advanceTimersByTimeAsync(ENCRYPTED_ROOM_WAIT_MS + 200);
    await refused;
    await expect(waitUntilEncrypted(fakeClient(false).client, "!case:cpts.test")).rejects.toThrow("no crypto: refusing to send");
  });
});
