import { mkdirSync } from "node:fs";
import setGlobalVars from "indexeddbshim";

let installedAt: string | undefined;

/**
 * matrix-js-sdk's Rust crypto persists only to IndexedDB (matrix-js-sdk issue 4769), so the
 * bot process gets an on-disk IndexedDB: indexeddbshim, one SQLite file per database, in
 * `dir`. One bot per process, so one directory per process; installing twice at two
 * places would silently mix two bots' keys, hence the guard.
 */
export function installDiskIndexedDb(dir: string): void {
  if (installedAt !== undefined) {
    if (installedAt === dir) return;
    throw new Error(`IndexedDB already installed at ${installedAt}; refusing a second location ${dir}`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  setGlobalVars(globalThis as never, {
    checkOrigin: false,
    databaseBasePath: dir,
    sysDatabaseBasePath: dir,
    deleteDatabaseFiles: true,
    // Crypto writes are small and frequent; wait on a busy file rather than fail.
    sqlBusyTimeout: 10_000,
  });
  installedAt = dir;
}
