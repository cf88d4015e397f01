// Each module contributes its own migrations (core's in core-migrations.ts, each module's in
// its folder); a database gets core's and those of the modules that run on it. Applied
// migrations are recorded by module and version in schema_migrations.
import type Database from "better-sqlite3";

export interface Migration {
  /** 1, 2, 3… within the module, in the order they apply. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * Its version in the single list every module shared before (1 to 22): a database made
   * then recorded it under that number, and is not migrated again.
   */
  readonly legacyVersion?: number;
}

export interface ModuleSchema {
  readonly module: string;
  /** Append only: a released migration is never edited, a change is a new version. */
  readonly migrations: readonly Migration[];
}

type Db = Database.Database;

const LEGACY_TABLE = "schema_migrations_legacy";

/**
 * Brings the database up to date for these modules: each migration not yet recorded runs in
 * its own transaction, taken under an immediate lock so two processes starting together
 * cannot both apply one. A database made with the former single list keeps what it has.
 */
export function migrate(db: Db, schemas: readonly ModuleSchema[]): void {
  const ordered = schemas.map(inVersionOrder);
  db.transaction(() => {
    adoptLegacyRecord(db);
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))",
    );
  }).immediate();
  const hasLegacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(LEGACY_TABLE) !== undefined;
  for (const { module, migrations } of ordered) {
    for (const migration of migrations) {
      db.transaction(() => {
        if (db.prepare("SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?").get(module, migration.version)) return;
        const record = db.prepare("INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)");
        const legacy =
          hasLegacy && migration.legacyVersion !== undefined
            ? (db.prepare(`SELECT applied_at FROM ${LEGACY_TABLE} WHERE version = ?`).get(migration.legacyVersion) as { applied_at: number } | undefined)
            : undefined;
        if (legacy) {
          record.run(module, migration.version, migration.name, legacy.applied_at);
          return;
        }
        db.exec(migration.sql);
        record.run(module, migration.version, migration.name, Date.now());
      }).immediate();
    }
  }
}

/** The former single list recorded versions alone (no module column): its record is kept aside, read by legacyVersion. */
function adoptLegacyRecord(db: Db): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('schema_migrations')").pluck().all() as string[];
  if (columns.length === 0 || columns.includes("module")) return;
  db.exec(`ALTER TABLE schema_migrations RENAME TO ${LEGACY_TABLE}`);
}

/** Sorted by version, which must go 1, 2, 3… with no gap or repeat: a slip in a migration list stops the start before it touches a database. */
function inVersionOrder({ module, migrations }: ModuleSchema): ModuleSchema {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migrations of module ${module}: expected version ${index + 1}, found ${migration.version} (versions go 1, 2, 3… without gap or repeat)`);
    }
  });
  return { module, migrations: sorted };
}
