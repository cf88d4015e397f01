// Backup of the local system's data folder (what `npm start` keeps, see README "Set up")
// into one .tar.gz: databases copied with SQLite's online backup API, so a running system
// is backed up consistently, then the other files; a manifest with a SHA-256 per file.
import { randomBytes } from "node:crypto";
import { constants, existsSync } from "node:fs";
import { chmod, copyFile, lstat, mkdir, mkdtemp, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import Database from "better-sqlite3";
import { create as createTar } from "tar";
import { BACKUP_FORMAT, DATA_PREFIX, MANIFEST_NAME, sha256OfFile, type Manifest, type ManifestFile } from "./backup-manifest.ts";
import { decide, SQLITE_HEADER, type BackupPhase } from "./backup-plan.ts";

/** A problem the person running the backup or the restore can act on; the message says what. */
export class BackupError extends Error {
  override readonly name = "BackupError";
}

export interface BackupResult {
  readonly archive: string;
  readonly files: number;
  readonly bytes: number;
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  /** Files deleted by the running system between listing and copying (not in the backup). */
  readonly vanished: readonly string[];
  readonly durationMs: number;
}

interface Found {
  readonly path: string;
  readonly absolute: string;
  readonly isSqlite: boolean;
}

/** Pages per step of the online backup: everything in one step, under one read lock. */
const ALL_PAGES = 0x7fffffff;

const toPosix = (relative: string): string => relative.split(sep).join("/");
const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === "ENOENT";

async function startsWithSqliteHeader(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(SQLITE_HEADER);
  } finally {
    await handle.close();
  }
}

/** Every regular file under `root`; a symbolic link is refused rather than followed or lost. */
async function listFiles(root: string, skipped: { path: string; reason: string }[]): Promise<Found[]> {
  const found: Found[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const absolute = join(dir, entry.name);
      const path = toPosix(absolute.slice(root.length + 1));
      if (entry.isDirectory()) await visit(absolute);
      else if (entry.isSymbolicLink()) throw new BackupError(`${path} is a symbolic link; the backup copies only real files (replace it by the file it points to)`);
      else if (!entry.isFile()) skipped.push({ path, reason: "not a regular file" });
      else {
        try {
          found.push({ path, absolute, isSqlite: await startsWithSqliteHeader(absolute) });
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      }
    }
  };
  await visit(root);
  return found;
}

async function snapshotDatabase(source: string, target: string): Promise<void> {
  // Opened read-write but only read: a read-only connection to a WAL database would leave
  // empty -wal/-shm files behind in a stopped system's folder.
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    await db.backup(target, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new BackupError(`the copy of ${source} fails SQLite's quick_check (${String(check)}): the source database may be damaged`);
  } finally {
    copy.close();
  }
  for (const side of ["-wal", "-shm", "-journal"]) {
    if (existsSync(target + side)) throw new BackupError(`the copy of ${source} left ${target + side} behind`);
  }
  await chmod(target, (await stat(source)).mode & 0o777);
}

async function copyPlainFile(source: string, target: string): Promise<void> {
  const { mode } = await stat(source);
  await copyFile(source, target, constants.COPYFILE_EXCL);
  await chmod(target, mode & 0o777);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
}

export function defaultArchiveName(now: Date = new Date()): string {
  return `cpts-backup-${timestamp(now)}.tar.gz`;
}

/** Backs up `dataDir` into `archive` (which must not exist). Works while the system runs. */
export async function createBackup(opts: { dataDir: string; archive: string; synapseVersion: string }): Promise<BackupResult> {
  const started = Date.now();
  const dataDir = resolve(opts.dataDir);
  const archive = resolve(opts.archive);
  const info = await stat(dataDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new BackupError(`${dataDir} is not a folder: nothing to back up (set --data or CPTS_DATA_DIR)`);
  if (existsSync(archive)) throw new BackupError(`${archive} already exists; choose another name`);
  if (archive.startsWith(dataDir + sep)) throw new BackupError(`the archive cannot be written inside the data folder it backs up (${dataDir})`);
  await mkdir(dirname(archive), { recursive: true });

  // Next to the archive, so the final rename stays on one file system.
  const staging = await mkdtemp(join(dirname(archive), ".cpts-backup-"));
  try {
    await chmod(staging, 0o700);
    const stagedData = join(staging, DATA_PREFIX);
    const skipped: { path: string; reason: string }[] = [];
    const vanished: string[] = [];
    const staged: { path: string; kind: ManifestFile["kind"] }[] = [];

    const place = async (found: Found, phase: BackupPhase): Promise<void> => {
      const target = join(stagedData, found.path);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      try {
        if (phase === 4) await copyPlainFile(found.absolute, target);
        else await snapshotDatabase(found.absolute, target);
        staged.push({ path: found.path, kind: phase === 4 ? "file" : "sqlite" });
      } catch (err) {
        // Deleted by the running system since it was listed: not part of this backup.
        if (existsSync(found.absolute)) throw err;
        await rm(target, { force: true });
        vanished.push(found.path);
      }
    };

    const databases = (await listFiles(dataDir, [])).filter((f) => f.isSqlite);
    for (const phase of [1, 2, 3] as const) {
      for (const found of databases) {
        const decision = decide(found.path, true);
        if (decision.action === "snapshot" && decision.phase === phase) await place(found, phase);
      }
    }
    // Listed only now: files written while the databases were copied are included (and a
    // database that appeared meanwhile, e.g. a new bot's store, is copied now).
    const done = new Set(staged.map((f) => f.path));
    for (const found of await listFiles(dataDir, skipped)) {
      const decision = decide(found.path, found.isSqlite);
      if (decision.action === "skip") skipped.push({ path: found.path, reason: decision.reason });
      else if (!done.has(found.path) && !vanished.includes(found.path)) await place(found, decision.phase);
    }

    const files: ManifestFile[] = [];
    for (const { path, kind } of staged.sort((a, b) => a.path.localeCompare(b.path))) {
      const absolute = join(stagedData, path);
      files.push({ path, kind, bytes: (await stat(absolute)).size, sha256: await sha256OfFile(absolute) });
    }
    const manifest: Manifest = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), synapseVersion: opts.synapseVersion, files };
    await writeFile(join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await mkdir(stagedData, { recursive: true, mode: 0o700 });

    const partial = join(dirname(archive), `.${randomBytes(6).toString("hex")}.partial`);
    try {
      await createTar({ gzip: true, file: partial, cwd: staging, portable: true }, [MANIFEST_NAME, DATA_PREFIX]);
      // The archive holds every secret of the system.
      await chmod(partial, 0o600);
      await rename(partial, archive);
    } finally {
      await rm(partial, { force: true });
    }
    return {
      archive,
      files: files.length,
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      skipped,
      vanished,
      durationMs: Date.now() - started,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** True when `path` does not exist or is an empty folder. */
export async function isEmptyOrAbsent(path: string): Promise<boolean> {
  const info = await lstat(path).catch((err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)));
  if (!info) return true;
  return info.isDirectory() && (await readdir(path)).length === 0;
}
