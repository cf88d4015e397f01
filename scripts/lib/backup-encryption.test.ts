import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decryptFile, encryptFile } from "./backup-encryption.ts";

describe("backup encryption", () => {
  const dir = mkdtempSync(join(tmpdir(), "cpts-backup-enc-"));
  const plain = join(dir, "cpts.tar.gz");
  const key = join(dir, "backup.key");
  const content = randomBytes(200_000);
  writeFileSync(plain, content);
  writeFileSync(key, randomBytes(32).toString("hex"));

  it("gives back the archive with the right key, and holds none of it in clear", async () => {
    await encryptFile(plain, `${plain}.enc`, key);
    const encrypted = readFileSync(`${plain}.enc`);
    expect(encrypted.includes(content.subarray(1000, 1064))).toBe(false);
    await decryptFile(`${plain}.enc`, join(dir, "back.tar.gz"), key);
    expect(readFileSync(join(dir, "back.tar.gz")).equals(content)).toBe(true);
  });

  it("refuses a wrong key and a changed byte, leaving no partial archive", async () => {
    const other = join(dir, "other.key");
    writeFileSync(other, randomBytes(32).toString("hex"));
    await expect(decryptFile(`${plain}.enc`, join(dir, "wrong.tar.gz"), other)).rejects.toThrow(/wrong backup key/);
    const tampered = readFileSync(`${plain}.enc`);
    tampered[5000] = tampered[5000]! ^ 1;
    writeFileSync(join(dir, "tampered.enc"), tampered);
    await expect(decryptFile(join(dir, "tampered.enc"), join(dir, "t.tar.gz"), key)).rejects.toThrow(/changed or truncated/);
    expect(() => readFileSync(join(dir, "t.tar.gz"))).toThrow();
  });

  it("refuses a key too short to protect health data", async () => {
    writeFileSync(join(dir, "short.key"), "motdepasse");
    await expect(encryptFile(plain, join(dir, "x.enc"), join(dir, "short.key"))).rejects.toThrow(/too short/);
  });
});
