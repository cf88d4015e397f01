// Cache of already-migrated SQLite databases: migrating an empty database takes ~50 s,
// copying a migrated one takes milliseconds. One template per Synapse version, mode and
// policy file (server_name is baked into a database, and policy changes may matter).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { readPolicyText, writeHomeserverConfig, type SynapseMode } from "./synapse-config.ts";
import { installedSynapseVersion, REPO_ROOT } from "./synapse-install.ts";
import { ensureSigningKey, launchSynapse } from "./synapse-process.ts";
import { findFreePort } from "./free-port.ts";
import { isProcessAlive as isAlive } from "../../bots/core/pid-file.ts";

const TEMPLATE_DIR = join(REPO_ROOT, ".cache", "synapse-template");
const LOCK_TIMEOUT_MS = 300_000;

export async function templatePath(mode: SynapseMode): Promise<string> {
  const hash = createHash("sha256").update(await readPolicyText(mode)).digest("hex").slice(0, 16);
  return join(TEMPLATE_DIR, `${installedSynapseVersion()}-${mode}-${hash}.db`);
}

async function withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
    // An empty file is a creator between open and write: wait for it, it is not stale.
    if (holder > 0 && !isAlive(holder)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath} (held by pid ${holder})`);
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function buildTemplate(mode: SynapseMode, target: string): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), `synapse-template-${mode}-`));
  try {
    // Nothing is invited while the database is migrated: the policy module gets a directory
    // that never answers.
    const tokenFile = join(scratch, "policy-token");
    await writeFile(tokenFile, "template", { mode: 0o600 });
    const policyDirectory = { url: `http://127.0.0.1:${await findFreePort()}`, tokenFile };
    const prepared = await writeHomeserverConfig({ mode, dataDir: scratch, port: await findFreePort(), policyDirectory });
    await ensureSigningKey(prepared.paths);
    const synapse = await launchSynapse(prepared.paths, prepared.baseUrl);
    await synapse.stop();
    // VACUUM INTO yields one self-contained file even if a WAL was left behind.
    const tmp = `${target}.${process.pid}.tmp`;
    await rm(tmp, { force: true });
    const db = new Database(prepared.paths.database);
    try {
      db.prepare("VACUUM INTO ?").run(tmp);
    } finally {
      db.close();
    }
    await rename(tmp, target);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Path of the migrated template database for this mode, building it on first use. */
export async function ensureTemplate(mode: SynapseMode): Promise<{ path: string; built: boolean }> {
  const path = await templatePath(mode);
  if (existsSync(path)) return { path, built: false };
  await mkdir(TEMPLATE_DIR, { recursive: true });
  return withLock(`${path}.lock`, async () => {
    if (existsSync(path)) return { path, built: false };
    await buildTemplate(mode, path);
    return { path, built: true };
  });
}
