import { hkdfSync } from "node:crypto";

/**
 * The crypto store is encrypted at rest with a 32-byte key derived from the bot's storage
 * secret (a high-entropy secret file). HKDF instead of `storagePassword` because the latter
 * runs a slow PBKDF2 inside WebAssembly at every start, and the input is already random.
 */
export function deriveStorageKey(storageSecret: string, userId: string): Uint8Array {
  if (storageSecret.trim().length < 16) {
    throw new Error("the crypto store secret must be at least 16 characters (generate it randomly)");
  }
  return new Uint8Array(hkdfSync("sha256", storageSecret.trim(), "cpts-bot-crypto-store", userId, 32));
}
