// `npm run restore`: puts a backup made by `npm run backup` into an empty data folder,
// after checking every file against the archive's manifest (SHA-256). Never overwrites.
//   npm run restore -- <archive.tar.gz> [--data <empty or new folder>]
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BackupError } from "./lib/backup-archive.ts";
import { formatBytes, runCli, UsageError } from "./lib/backup-cli.ts";
import { restoreBackup } from "./lib/backup-restore.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

runCli("restore", async (argv) => {
  const { values, positionals } = parseArgs({ args: argv, options: { data: { type: "string" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError("expected the archive to restore: npm run restore -- <archive.tar.gz> [--data <folder>]");
  const dataDir = resolve(values.data ?? process.env["CPTS_DATA_DIR"] ?? join(ROOT, "data"));
  const result = await restoreBackup({ archive: positionals[0]!, dataDir }).catch((err: unknown) => {
    throw err instanceof BackupError ? err : new BackupError(`restoring into ${dataDir} failed: ${(err as Error).message}`);
  });
  console.log(`Restored ${result.manifest.files.length} files (${formatBytes(result.bytes)}, backup of ${result.manifest.createdAt}) into ${result.dataDir} in ${(result.durationMs / 1000).toFixed(1)} s.`);
  const startWith = result.dataDir === resolve(ROOT, "data") ? "npm start" : `CPTS_DATA_DIR=${result.dataDir} npm start`;
  console.log(`Start the system on it with: ${startWith}`);
});
