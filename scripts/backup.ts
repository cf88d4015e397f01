// `npm run backup`: one archive of everything the local system keeps (README "Set up"):
// Synapse's database, media and keys, the bots' database and encrypted crypto stores, the
// secrets. Safe while `npm start` runs. Production backups: docs/deploy.md, "Backups".
//   npm run backup -- [--data <folder>] [--out <file.tar.gz or folder>] [--key-file <file>]
// With --key-file (or CPTS_BACKUP_KEY_FILE), the archive is written encrypted (<name>.tar.gz.enc,
// AES-256-GCM) and no plain copy is left: ready to leave the machine.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { rm } from "node:fs/promises";
import { BackupError, createBackup, defaultArchiveName } from "./lib/backup-archive.ts";
import { encryptFile, ENCRYPTED_SUFFIX } from "./lib/backup-encryption.ts";
import { formatBytes, runCli } from "./lib/backup-cli.ts";
import { installedSynapseVersion } from "./lib/synapse-install.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

runCli("backup", async (argv) => {
  const { values } = parseArgs({ args: argv, options: { data: { type: "string" }, out: { type: "string" }, "key-file": { type: "string" } }, strict: true });
  const keyFile = values["key-file"] ?? process.env["CPTS_BACKUP_KEY_FILE"];
  const dataDir = resolve(values.data ?? process.env["CPTS_DATA_DIR"] ?? join(ROOT, "data"));
  const out = resolve(values.out ?? join(ROOT, "backups"));
  const archive = out.endsWith(".tar.gz") ? out : join(out, defaultArchiveName());
  let synapseVersion = "unknown";
  try {
    synapseVersion = installedSynapseVersion();
  } catch {
    // Recorded for information only; a backup does not need Synapse installed.
  }
  const result = await createBackup({ dataDir, archive, synapseVersion }).catch((err: unknown) => {
    throw err instanceof BackupError ? err : new BackupError(`backing up ${dataDir} failed: ${(err as Error).message}`);
  });
  let written = result.archive;
  if (keyFile) {
    written = `${result.archive}${ENCRYPTED_SUFFIX}`;
    await encryptFile(result.archive, written, resolve(keyFile)).finally(() => rm(result.archive, { force: true }));
  }
  console.log(`Backed up ${result.files} files (${formatBytes(result.bytes)}) of ${dataDir} in ${(result.durationMs / 1000).toFixed(1)} s:`);
  console.log(`  ${written}${keyFile ? " (encrypted)" : ""}`);
  if (result.skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const { reason } of result.skipped) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    console.log(`  left out: ${[...reasons].map(([reason, count]) => `${count} × ${reason}`).join("; ")}`);
  }
  if (result.vanished.length > 0) console.log(`  ${result.vanished.length} file(s) deleted by the running system while copying, not included: ${result.vanished.join(", ")}`);
  if (!keyFile) console.log("This archive holds every secret of the system and the bots' keys: encrypt it (--key-file) before it leaves this machine.");
});
