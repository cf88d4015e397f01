import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { CORE_SCHEMA } from "./core-migrations.ts";
import { migrate, type ModuleSchema } from "./migrations.ts";

export type Db = Database.Database;

/**
 * Opens the bots' SQLite database (shared by the bot processes, hence WAL and a busy
 * timeout) and brings its schema up to date: core's tables, then those of `modules`.
 */
export function openDatabase(file: string, modules: readonly ModuleSchema[] = []): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = FULL");
  migrate(db, [CORE_SCHEMA, ...modules.filter((schema) => schema.module !== CORE_SCHEMA.module)]);
  return db;
}

export { migrate } from "./migrations.ts";
