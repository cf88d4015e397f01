// Migrations per module: every module's tables on a fresh database, only the modules asked
// for, and a database made by the former single migration list (versions 1–22, one list
// for all) upgrading without running anything again or losing a row.
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORE_SCHEMA } from "./core/store/core-migrations.ts";
import { openDatabase as openWithModules, type Db } from "./core/store/database.ts";
import type { ModuleSchema } from "./core/store/migrations.ts";
import { MODULE_SCHEMAS, openDatabase } from "./database.ts";
import { SNP_SCHEMA } from "./snp/migrations.ts";

const ALL = [CORE_SCHEMA, ...MODULE_SCHEMAS];
/** Made before the split into modules (later ones have no legacy version). */
const isLegacy = (m: { legacyVersion?: number }): boolean => m.legacyVersion !== undefined;

const tables = (db: Db): string[] => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'schema_migrations%' ORDER BY name").pluck().all() as string[];
const schemaSql = (db: Db): string[] =>
  (db.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'schema_migrations%' ORDER BY name").pluck().all() as string[]).map((sql) => sql.replace(/\s+/g, " "));

/** What the former code did: one list sorted by version, recorded as (version, name, applied_at). */
function legacyDatabase(file: string, upTo = Infinity): Db {
  const db = new Database(file);
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  const legacy = ALL.flatMap(({ module, migrations }) => migrations.filter(isLegacy).map((m) => ({ ...m, name: `${module}: ${m.name}`, version: m.legacyVersion! })));
  for (const migration of legacy.sort((a, b) => a.version - b.version).filter((m) => m.version <= upTo)) {
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, 1_000 + migration.version);
  }
  return db;
}

describe("migrations per module", () => {
  it("split the former single list without losing or adding one: its versions 1 to 22, 16 never existed", () => {
    const legacyVersions = ALL.flatMap((s) => s.migrations.filter(isLegacy).map((m) => m.legacyVersion)).sort((a, b) => a! - b!);
    expect(legacyVersions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22]);
    for (const { migrations } of ALL) expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it("give a database core's tables and those of the modules asked for, nothing else", () => {
    const snpOnly = openWithModules(":memory:", [SNP_SCHEMA]);
    expect(tables(snpOnly)).toContain("snp_requests");
    expect(tables(snpOnly)).toContain("verified_members");
    expect(tables(snpOnly).filter((t) => /^(care|mssante|directory)_/.test(t))).toEqual([]);
    const applied = snpOnly.prepare("SELECT DISTINCT module FROM schema_migrations ORDER BY module").pluck().all();
    expect(applied).toEqual(["core", "snp"]);
  });

  it("upgrade a database made by the former single list: nothing runs again, every row stays, the record moves to (module, version)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "legacy-db-")), "bots.db");
    const legacy = legacyDatabase(file);
    legacy.prepare("INSERT INTO verified_members (user_id, verified_at, verified_by, active) VALUES ('@anne:cpts.test', 1, '@coord:cpts.test', 1)").run();
    legacy.prepare("INSERT INTO snp_requests (id, status, state, created_at, updated_at) VALUES ('r1', 'open', '{}', 1, 1)").run();
    legacy.prepare("INSERT INTO community_rooms (key, room_id, created_at) VALUES ('space', '!space:cpts.test', 1)").run();
    const before = schemaSql(legacy);
    legacy.close();

    const db = openDatabase(file);
    expect(db.prepare("SELECT user_id FROM verified_members").pluck().all()).toEqual(["@anne:cpts.test"]);
    expect(db.prepare("SELECT id FROM snp_requests").pluck().all()).toEqual(["r1"]);
    expect(db.prepare("SELECT room_id FROM community_rooms").pluck().all()).toEqual(["!space:cpts.test"]);
    // The migrations made since the split run; none of the former ones again.
    expect(schemaSql(db)).toEqual(expect.arrayContaining(before));
    expect(schemaSql(db)).toEqual(schemaSql(openDatabase(":memory:")));
    const recorded = db.prepare("SELECT module, version, applied_at FROM schema_migrations ORDER BY module, version").all() as { module: string; version: number; applied_at: number }[];
    const expected = ALL.flatMap(({ module, migrations }) => migrations.filter(isLegacy).map((m) => ({ module, version: m.version, applied_at: 1_000 + m.legacyVersion! })));
    expect(recorded.filter((r) => r.applied_at < 2_000)).toEqual(expected.sort((a, b) => a.module.localeCompare(b.module) || a.version - b.version));
    expect(recorded).toHaveLength(ALL.flatMap((s) => s.migrations).length);
    db.close();
    // Opened again (by another bot process): nothing to do.
    openDatabase(file).close();
  });

  it("upgrade the bots.db the former code made (fixture written by it): rows kept, same schema as a new database", () => {
    const file = join(mkdtempSync(join(tmpdir(), "legacy-db-")), "bots.db");
    const legacy = new Database(file);
    legacy.exec(readFileSync(new URL("./fixtures/legacy-bots-db.sql", import.meta.url), "utf8"));
    legacy.close();
    const db = openDatabase(file);
    expect(db.prepare("SELECT user_id FROM garde_shifts").pluck().all()).toEqual(["@anne:cpts.test"]);
    expect(db.prepare("SELECT id FROM snp_requests").pluck().all()).toEqual(["SNP-1"]);
    expect(db.prepare("SELECT files FROM directory_imports").pluck().all()).toEqual(['["extract.txt"]']);
    expect(db.prepare("SELECT COUNT(*) FROM schema_migrations").pluck().get()).toBe(ALL.flatMap((s) => s.migrations).length);
    expect(schemaSql(db)).toEqual(schemaSql(openDatabase(":memory:")));
  });

  it("bring a database made by an older single list up to date: the migrations it lacked run", () => {
    const file = join(mkdtempSync(join(tmpdir(), "legacy-db-")), "bots.db");
    legacyDatabase(file, 15).close();
    const db = openDatabase(file);
    expect(tables(db)).toEqual(tables(openDatabase(":memory:")));
    expect(schemaSql(db)).toEqual(schemaSql(openDatabase(":memory:")));
  });

  it("refuse a module's list with a gap or a repeated version before touching the database", () => {
    const gap: ModuleSchema = { module: "gap", migrations: [{ version: 1, name: "a", sql: "CREATE TABLE a (x)" }, { version: 3, name: "c", sql: "CREATE TABLE c (x)" }] };
    expect(() => openWithModules(":memory:", [gap])).toThrow(/module gap: expected version 2, found 3/);
  });
});
