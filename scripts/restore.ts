// `npm run restore`: puts a backup made by `npm run backup` into an empty data folder,
// after checking every file against the archive's manifest (SHA-256). Never overwrites.
//   npm run restore -- <archive.tar.gz[.enc]> [--data <empty or new folder>] [--key-file <file>]
// An encrypted archive (.enc) is decrypted with the backup key, and checked whole, first.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BackupError } from "./lib/backup-archive.ts";
import { formatBytes, runCli, UsageError } from "./lib/backup-cli.ts";
import { decryptFile, ENCRYPTED_SUFFIX } from "./lib/backup-encryption.ts";
import { restoreBackup } from "./lib/backup-restore.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

runCli("restore", async (argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { data: { type: "string" }, "key-file": { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError("expected the archive to restore: npm run restore -- <archive.tar.gz[.enc]> [--data <folder>] [--key-file <file>]");
  const dataDir = resolve(values.data ?? process.env["CPTS_DATA_DIR"] ?? join(ROOT, "data"));
  const keyFile = values["key-file"] ?? process.env["CPTS_BACKUP_KEY_FILE"];
  let archive = positionals[0]!;
  let scratch: string | undefined;
  if (archive.endsWith(ENCRYPTED_SUFFIX)) {
    if (!keyFile) throw new UsageError(`${archive} is encrypted: give the backup key with --key-file <file>`);
    scratch = await mkdtemp(join(tmpdir(), "cpts-restore-"));
    const plain = join(scratch, "backup.tar.gz");
    await decryptFile(archive, plain, resolve(keyFile));
    archive = plain;
  }
  const result = await restoreBackup({ archive, dataDir })
    .catch((err: unknown) => {
      throw err instanceof BackupError ? err : new BackupError(`restoring into ${dataDir} failed: ${(err as Error).message}`);
    })
    .finally(() => scratch && rm(scratch, { recursive: true, force: true }));
  console.log(`Restored ${result.manifest.files.length} files (${formatBytes(result.bytes)}, backup of ${result.manifest.createdAt}) into ${result.dataDir} in ${(result.durationMs / 1000).toFixed(1)} s.`);
  const startWith = result.dataDir === resolve(ROOT, "data") ? "npm start" : `CPTS_DATA_DIR=${result.dataDir} npm start`;
  console.log(`Start the system on it with: ${startWith}`);
});
