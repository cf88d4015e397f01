import type { MatrixClient, MatrixEvent } from "matrix-js-sdk";
import type { CryptoBackend } from "matrix-js-sdk/lib/common-crypto/CryptoBackend.js";
import { CryptoEvent, DecryptionFailureCode } from "matrix-js-sdk/lib/crypto-api/index.js";

/** How long the bot waits for a sender's keys before it treats their session as not cross-signed. */
export const SENDER_KEYS_WAIT_MS = 10_000;

/**
 * Failures that only say the bot does not know (yet) that the sending session is cross-signed.
 * A member who invites a bot and writes at once can get there first: their message arrives
 * before the bot has downloaded their keys, and matrix-js-sdk never tries such an event again.
 */
export function mayBeSenderKeysNotFetchedYet(event: MatrixEvent): boolean {
  const reason = event.decryptionFailureReason;
  return reason === DecryptionFailureCode.UNSIGNED_SENDER_DEVICE || reason === DecryptionFailureCode.UNKNOWN_SENDER_DEVICE;
}

/**
 * Decrypts the event once more after the sender's keys are in (their devices or identity
 * updated, or their session known to the bot), or after `maxWaitMs`. The SDK then
 * announces the outcome as for any decryption (MatrixEventEvent.Decrypted): a session that
 * really is not cross-signed fails again with the same reason.
 */
export async function decryptAgainWhenSenderKnown(client: MatrixClient, event: MatrixEvent, maxWaitMs = SENDER_KEYS_WAIT_MS): Promise<void> {
  const sender = event.getSender();
  const crypto = client.getCrypto();
  if (!sender || !crypto) throw new Error("no sender or no crypto to decrypt with");
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off(CryptoEvent.UserTrustStatusChanged, onIdentity);
      client.off(CryptoEvent.DevicesUpdated, onDevices);
      resolve();
    };
    const onIdentity = (userId: string): void => {
      if (userId === sender) done();
    };
    const onDevices = (userIds: string[]): void => {
      if (userIds.includes(sender)) done();
    };
    const timer = setTimeout(done, maxWaitMs);
    client.on(CryptoEvent.UserTrustStatusChanged, onIdentity);
    client.on(CryptoEvent.DevicesUpdated, onDevices);
    // The keys may have arrived between the failure and now, or never been asked for (a user
    // the bot did not track). A session the bot knows is settled either way: its keys and its
    // owner's signatures come in the same answer.
    const deviceId = event.getWireContent()["device_id"];
    if (typeof deviceId === "string") {
      void crypto
        .getUserDeviceInfo([sender], true)
        .then(() => crypto.getDeviceVerificationStatus(sender, deviceId))
        .then((status) => status && done(), () => undefined);
    }
  });
  // The crypto API object is the SDK's crypto backend, which is what an event decrypts with.
  await event.attemptDecryption(crypto as unknown as CryptoBackend, { isRetry: true });
}
