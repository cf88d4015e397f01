import { mkdirSync } from "node:fs";
import type Database from "better-sqlite3";
import setGlobalVars from "indexeddbshim";
import SQLiteDatabase from "indexeddbshim/src/nodeSQLiteDatabase.js";
import customOpenDatabase from "websql-configurable/custom/index.js";

let installedAt: string | undefined;

/** Crypto writes are small and frequent; wait on a busy file rather than fail. */
const SQL_BUSY_TIMEOUT_MS = 10_000;

/**
 * One SQLite connection of the shim, in write-ahead-log mode. The shim's default rollback
 * journal costs several fsyncs per IndexedDB transaction, and Rust crypto commits one or
 * more per message sent: measured 17 ms per transaction against 7 ms with the WAL, which
 * made the crypto store the bot's main cost when dispatching to many people.
 * `synchronous = FULL` keeps every commit durable, power loss included, as before.
 */
function walConnection(name: string): SQLiteDatabase {
  const connection = new SQLiteDatabase(name, { busyTimeout: SQL_BUSY_TIMEOUT_MS });
  const sqlite = connection._db._db as Database.Database;
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  reusePreparedStatements(sqlite);
  return connection;
}

/** Statements kept per connection: the shim's statements are a small fixed set per object store. */
const PREPARED_STATEMENTS_KEPT = 500;

/**
 * The shim prepares every statement anew each time it runs it (a tenth of the bot's
 * crypto-store time in a dispatch); a statement prepared once can be run again.
 */
export function reusePreparedStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const prepared = new Map<string, Database.Statement>();
  sqlite.prepare = ((sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (prepared.size >= PREPARED_STATEMENTS_KEPT) prepared.delete(prepared.keys().next().value!);
      prepared.set(sql, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

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
    // As the shim's own Node driver (indexeddbshim/src/nodeWebSQL.js), with WAL connections.
    win: { openDatabase: customOpenDatabase(walConnection as never, { websql: { concurrentReaders: true } }) },
  });
  installedAt = dir;
}
