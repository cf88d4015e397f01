import { hkdfSync } from "node:crypto";
import { decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { ConfigError, readSecret } from "../config.ts";

const MIN_SECRET_LENGTH = 16;
const ELEMENT_KEY_SHAPE = /^(?:[1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}$/;

/**
 * The 32-byte secret-storage key of a bot, from its recovery key file: either a recovery
 * key as Element shows them ("EsTc 1234 …", usable in Element to recover the bot's
 * account by hand) or any random secret of 16 characters or more (e.g. `openssl rand
 * -base64 32`), stretched with HKDF like the crypto store secret.
 */
export function secretStorageKeyOf(recoveryText: string, userId: string): Uint8Array {
  const text = recoveryText.trim();
  if (ELEMENT_KEY_SHAPE.test(text)) return decodeRecoveryKey(text);
  if (text.length < MIN_SECRET_LENGTH) {
    throw new Error(`the recovery key must be an Element recovery key or a random secret of at least ${MIN_SECRET_LENGTH} characters`);
  }
  return new Uint8Array(hkdfSync("sha256", text, "cpts-bot-secret-storage", userId, 32));
}

/** The secret-storage key of bot `botId` from its `recoveryKeyFile`; a problem names the key, never the content. */
export function readRecoveryKey(file: string, botId: string, userId: string): Uint8Array {
  const key = `bots.${botId}.recoveryKeyFile`;
  try {
    return secretStorageKeyOf(readSecret(file, key), userId);
  } catch (err) {
    throw err instanceof ConfigError ? err : new ConfigError(`${key}: ${(err as Error).message}`);
  }
}
