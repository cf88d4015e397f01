// Restore of a backup archive (scripts/lib/backup-archive.ts) into an empty data folder.
// Everything is extracted and checked against the manifest aside first; the folder appears
// only once every file is there with its SHA-256, so a bad archive leaves nothing behind.
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { extract } from "tar";
import { BackupError, isEmptyOrAbsent } from "./backup-archive.ts";
import { DATA_PREFIX, MANIFEST_NAME, parseManifest, sha256OfFile, type Manifest } from "./backup-manifest.ts";

export interface RestoreResult {
  readonly dataDir: string;
  readonly manifest: Manifest;
  readonly bytes: number;
  readonly durationMs: number;
}

/** The problems listed in an error, at most this many. */
const SHOWN_PROBLEMS = 5;

/** Entry names as `npm run backup` writes them, or as `tar -C dir .` would ("./data/…"). */
function isExpectedEntry(entryPath: string, type: string): boolean {
  const path = entryPath.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (path.split("/").includes("..")) return false;
  if (path === "" || path === ".") return type === "Directory";
  if (path === MANIFEST_NAME) return type === "File";
  return (path === DATA_PREFIX || path.startsWith(`${DATA_PREFIX}/`)) && (type === "File" || type === "Directory");
}

async function filesUnder(root: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) await visit(absolute);
      else files.push(absolute.slice(root.length + 1).split(sep).join("/"));
    }
  };
  await visit(root);
  return files;
}

async function problemsWith(manifest: Manifest, dataRoot: string): Promise<string[]> {
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const file of manifest.files) {
    const absolute = join(dataRoot, file.path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) problems.push(`${file.path} is missing`);
    else if (info.size !== file.bytes) problems.push(`${file.path} has ${info.size} bytes, the manifest says ${file.bytes}`);
    else if ((await sha256OfFile(absolute)) !== file.sha256) problems.push(`${file.path} does not match its SHA-256`);
  }
  for (const path of await filesUnder(dataRoot)) if (!listed.has(path)) problems.push(`${path} is not in the manifest`);
  return problems;
}

/** Restores `archive` into `dataDir`, which must be absent or an empty folder. */
export async function restoreBackup(opts: { archive: string; dataDir: string }): Promise<RestoreResult> {
  const started = Date.now();
  const archive = resolve(opts.archive);
  const dataDir = resolve(opts.dataDir);
  if (!(await stat(archive).catch(() => undefined))?.isFile()) throw new BackupError(`${archive} is not a file`);
  if (!(await isEmptyOrAbsent(dataDir))) {
    throw new BackupError(`${dataDir} is not empty: a restore never overwrites data. Restore into a new folder (--data), or move this one away first`);
  }
  await mkdir(dirname(dataDir), { recursive: true });
  // Next to the destination, so the final rename stays on one file system.
  const staging = await mkdtemp(join(dirname(dataDir), ".cpts-restore-"));
  try {
    await chmod(staging, 0o700);
    const unexpected: string[] = [];
    try {
      await extract({
        file: archive,
        cwd: staging,
        strict: true,
        filter: (path, entry) => {
          const type = "type" in entry ? entry.type : "File";
          const ok = isExpectedEntry(path, type);
          if (!ok) unexpected.push(`${path} (${type})`);
          return ok;
        },
      });
    } catch (err) {
      throw new BackupError(`${archive} is not a readable backup archive (${(err as Error).message})`);
    }
    if (unexpected.length > 0) {
      throw new BackupError(`${archive} holds entries a backup never has: ${unexpected.slice(0, SHOWN_PROBLEMS).join(", ")}`);
    }
    const manifestText = await readFile(join(staging, MANIFEST_NAME), "utf8").catch(() => {
      throw new BackupError(`${archive} has no ${MANIFEST_NAME}: it is not a backup made by npm run backup`);
    });
    let manifest: Manifest;
    try {
      manifest = parseManifest(manifestText);
    } catch (err) {
      throw new BackupError(`${archive}: ${(err as Error).message}`);
    }
    const dataRoot = join(staging, DATA_PREFIX);
    await mkdir(dataRoot, { recursive: true, mode: 0o700 });
    const problems = await problemsWith(manifest, dataRoot);
    if (problems.length > 0) {
      const more = problems.length > SHOWN_PROBLEMS ? ` (and ${problems.length - SHOWN_PROBLEMS} more)` : "";
      throw new BackupError(`${archive} is damaged or was altered, nothing was restored: ${problems.slice(0, SHOWN_PROBLEMS).join("; ")}${more}`);
    }

    await rmdir(dataDir).catch(() => {}); // the empty folder, if there is one
    await rename(dataRoot, dataDir);
    await chmod(dataDir, 0o700);
    return { dataDir, manifest, bytes: manifest.files.reduce((sum, f) => sum + f.bytes, 0), durationMs: Date.now() - started };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
