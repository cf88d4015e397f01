import { randomBytes } from "node:crypto";
import { encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { describe, expect, it } from "vitest";
import { secretStorageKeyOf } from "./recovery-key.ts";

describe("a bot's recovery key file", () => {
  it("takes an Element recovery key as it is", () => {
    const key = randomBytes(32);
    expect(Buffer.from(secretStorageKeyOf(`${encodeRecoveryKey(key)}\n`, "@bot:cpts.test"))).toEqual(key);
  });

  it("stretches a random secret into 32 bytes, the same each time, different per account", () => {
    const secret = randomBytes(24).toString("base64url");
    const once = secretStorageKeyOf(secret, "@snp:cpts.test");
    expect(once).toHaveLength(32);
    expect(secretStorageKeyOf(secret, "@snp:cpts.test")).toEqual(once);
    expect(secretStorageKeyOf(secret, "@equipes:cpts.test")).not.toEqual(once);
  });

  it("refuses a short secret", () => {
    expect(() => secretStorageKeyOf("motdepasse", "@bot:cpts.test")).toThrow(/at least 16/);
  });

  it("refuses an Element-shaped key with a typo", () => {
    const typo = encodeRecoveryKey(randomBytes(32))!.replace(/^./, (c) => (c === "E" ? "F" : "E"));
    expect(() => secretStorageKeyOf(typo, "@bot:cpts.test")).toThrow();
  });
});
