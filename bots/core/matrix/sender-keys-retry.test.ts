import { EventEmitter } from "node:events";
import type { MatrixClient, MatrixEvent } from "matrix-js-sdk";
import { CryptoEvent, DecryptionFailureCode } from "matrix-js-sdk/lib/crypto-api/index.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decryptAgainWhenSenderKnown, mayBeSenderKeysNotFetchedYet } from "./sender-keys-retry.ts";

const SENDER = "@kine:cpts.test";

function world(opts: { knownDevice: boolean }) {
  const client = new EventEmitter() as EventEmitter & { getCrypto(): unknown };
  const crypto = {
    getUserDeviceInfo: vi.fn(async () => new Map()),
    getDeviceVerificationStatus: vi.fn(async () => (opts.knownDevice ? { signedByOwner: false } : null)),
  };
  client.getCrypto = () => crypto;
  const attemptDecryption = vi.fn(async () => undefined);
  const event = {
    getSender: () => SENDER,
    getWireContent: () => ({ device_id: "KINEPHONE" }),
    decryptionFailureReason: DecryptionFailureCode.UNSIGNED_SENDER_DEVICE,
    attemptDecryption,
  } as unknown as MatrixEvent;
  return { client: client as unknown as MatrixClient & EventEmitter, event, attemptDecryption };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a message refused before the bot has its sender's keys", () => {
  it("is a candidate for one more try when the sender's session is unknown or unsigned, not for missing room keys", () => {
    const { event } = world({ knownDevice: false });
    expect(mayBeSenderKeysNotFetchedYet(event)).toBe(true);
    expect(mayBeSenderKeysNotFetchedYet({ decryptionFailureReason: DecryptionFailureCode.UNKNOWN_SENDER_DEVICE } as unknown as MatrixEvent)).toBe(true);
    expect(mayBeSenderKeysNotFetchedYet({ decryptionFailureReason: DecryptionFailureCode.MEGOLM_UNKNOWN_INBOUND_SESSION_ID } as unknown as MatrixEvent)).toBe(false);
  });

  it("is decrypted again when the sender's devices are updated, not when someone else's are", async () => {
    vi.useFakeTimers();
    const { client, event, attemptDecryption } = world({ knownDevice: false });
    const retried = decryptAgainWhenSenderKnown(client, event, 10_000);
    await vi.advanceTimersByTimeAsync(100);
    client.emit(CryptoEvent.DevicesUpdated, ["@other:cpts.test"], false);
    await vi.advanceTimersByTimeAsync(100);
    expect(attemptDecryption).not.toHaveBeenCalled();
    client.emit(CryptoEvent.DevicesUpdated, [SENDER], false);
    await retried;
    expect(attemptDecryption).toHaveBeenCalledTimes(1);
    expect(client.listenerCount(CryptoEvent.DevicesUpdated)).toBe(0);
  });

  it("is decrypted again at once when the bot already knows the session (the answer is settled), and after the wait at most", async () => {
    const known = world({ knownDevice: true });
    await decryptAgainWhenSenderKnown(known.client, known.event, 60_000);
    expect(known.attemptDecryption).toHaveBeenCalledTimes(1);

    vi.useFakeTimers();
    const unknown = world({ knownDevice: false });
    const retried = decryptAgainWhenSenderKnown(unknown.client, unknown.event, 10_000);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(unknown.attemptDecryption).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    await retried;
    expect(unknown.attemptDecryption).toHaveBeenCalledTimes(1);
  });
});
