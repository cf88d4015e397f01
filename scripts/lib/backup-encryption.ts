// The backup archive encrypted before it leaves the machine: AES-256-GCM, with a key
// derived (scrypt) from a key file the CPTS keeps apart from the backups (off-site copies
// then hold nothing readable). The file is: "CPTSBAK1", salt (16), IV (12), ciphertext,
// tag (16). Decryption writes to a file that is used only once the tag checked.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, readFile, rm, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { BackupError } from "./backup-archive.ts";

const MAGIC = Buffer.from("CPTSBAK1");
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + IV_BYTES;
const MIN_KEY_CHARS = 32;

/** The suffix of an encrypted archive. */
export const ENCRYPTED_SUFFIX = ".enc";

async function keyFrom(keyFile: string, salt: Buffer): Promise<Buffer> {
  let secret: string;
  try {
    secret = (await readFile(keyFile, "utf8")).trim();
  } catch (err) {
    throw new BackupError(`cannot read the backup key file ${keyFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (secret.length < MIN_KEY_CHARS) throw new BackupError(`the backup key in ${keyFile} is too short: at least ${MIN_KEY_CHARS} characters (openssl rand -hex 32)`);
  return scryptSync(secret, salt, 32);
}

export async function encryptFile(plainFile: string, encryptedFile: string, keyFile: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", await keyFrom(keyFile, salt), iv);
  const out = createWriteStream(encryptedFile, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, salt, iv]));
  await pipeline(createReadStream(plainFile), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), () => resolve()).once("error", reject));
}

/** Writes the plain archive to `plainFile`; a wrong key or a changed byte removes it and throws. */
export async function decryptFile(encryptedFile: string, plainFile: string, keyFile: string): Promise<void> {
  const { size } = await stat(encryptedFile);
  if (size < HEADER_BYTES + TAG_BYTES) throw new BackupError(`${encryptedFile} is not an encrypted backup (too short)`);
  const handle = await open(encryptedFile, "r");
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError(`${encryptedFile} is not an encrypted backup of npm run backup`);
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const iv = header.subarray(MAGIC.length + SALT_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", await keyFrom(keyFile, salt), iv);
  decipher.setAuthTag(tag);
  try {
    await pipeline(createReadStream(encryptedFile, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }), decipher, createWriteStream(plainFile, { mode: 0o600 }));
  } catch {
    await rm(plainFile, { force: true });
    throw new BackupError(`${encryptedFile} cannot be decrypted: wrong backup key, or the file was changed or truncated`);
  }
}
