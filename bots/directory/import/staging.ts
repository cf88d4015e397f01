import type { Statement } from "better-sqlite3";
import type { Db } from "../../core/store/database.ts";
import type { KeptRows, MssanteRecord, PersonRecord, SiteRecord, SkillRecord } from "./records.ts";
import { MSSANTE, PEOPLE, SITES, SKILLS, stagingColumns, stagingKey, TABLES, type TableSpec } from "./tables.ts";

/** Kept rows held in memory before they are written to the staging tables. */
export const STAGING_BATCH_ROWS = 5_000;
/** Rows per INSERT statement: as many as SQLite's parameter limit lets through. */
const MAX_PARAMETERS = 2_000;

type Record = object;

/**
 * The rows an import keeps, written in batches to temporary tables of this connection
 * (on disk, SQLite's temp store) as the files are read, so memory stays flat however many
 * rows the territory keeps. The directory itself is changed only when they are applied, in
 * the import's one transaction (apply.ts). Writing the temp schema takes no lock on the
 * database the bots share.
 */
export class StagedRows implements KeptRows {
  private readonly pending = new Map<TableSpec, Record[]>(TABLES.map((spec) => [spec, []]));
  private pendingCount = 0;
  private readonly upserts: Map<TableSpec, (records: readonly Record[]) => void>;
  private readonly personLookup: Statement<[string], number>;
  private readonly db: Db;
  private readonly onBatch: ((rows: number) => void) | undefined;

  /** `onBatch` is told how many rows each batch wrote (for tests). */
  constructor(db: Db, onBatch?: (rows: number) => void) {
    this.db = db;
    this.onBatch = onBatch;
    db.exec(TABLES.map((spec) => `DROP TABLE IF EXISTS temp.${spec.staging};`).join("\n"));
    for (const spec of TABLES) {
      const key = stagingKey(spec);
      const columns = stagingColumns(spec).map(([column]) => column);
      db.exec(`CREATE TEMP TABLE ${spec.staging} (${columns.map((c) => `${c} TEXT NOT NULL`).join(", ")}, PRIMARY KEY (${key.join(", ")})) WITHOUT ROWID`);
    }
    this.upserts = new Map(TABLES.map((spec) => [spec, this.upsertFor(spec)]));
    this.personLookup = db.prepare<[string], number>(`SELECT 1 FROM temp.${PEOPLE.staging} WHERE national_id = ?`).pluck();
  }

  person(record: PersonRecord): void { this.add(PEOPLE, record); }
  site(record: SiteRecord): void { this.add(SITES, record); }
  skill(record: SkillRecord): void { this.add(SKILLS, record); }
  mssante(record: MssanteRecord): void { this.add(MSSANTE, record); }

  /** Whether a professional was kept (flush() first: only written rows are seen). */
  hasPerson(nationalId: string): boolean {
    return this.personLookup.get(nationalId) !== undefined;
  }

  /** Writes the rows still held in memory. */
  flush(): void {
    if (this.pendingCount === 0) return;
    const rows = this.pendingCount;
    this.db.transaction(() => {
      for (const [spec, records] of this.pending) {
        this.upserts.get(spec)!(records);
        records.length = 0;
      }
    })();
    this.pendingCount = 0;
    this.onBatch?.(rows);
  }

  drop(): void {
    this.db.exec(TABLES.map((spec) => `DROP TABLE IF EXISTS temp.${spec.staging};`).join("\n"));
  }

  private add(spec: TableSpec, record: Record): void {
    this.pending.get(spec)!.push(record);
    if (++this.pendingCount >= STAGING_BATCH_ROWS) this.flush();
  }

  /** A repeated row replaces the values of the first one, which keeps its place. */
  private upsertFor(spec: TableSpec): (records: readonly Record[]) => void {
    const columns = stagingColumns(spec);
    const rowsPerStatement = Math.floor(MAX_PARAMETERS / columns.length);
    const statementFor = (rows: number): Statement =>
      this.db.prepare(
        `INSERT INTO temp.${spec.staging} (${columns.map(([c]) => c).join(", ")})
         VALUES ${Array.from({ length: rows }, () => `(${columns.map(() => "?").join(", ")})`).join(", ")}
         ON CONFLICT (${stagingKey(spec).join(", ")}) DO UPDATE SET ${spec.values.map(([c]) => `${c} = excluded.${c}`).join(", ")}`,
      );
    const full = statementFor(rowsPerStatement);
    const single = statementFor(1);
    const fields = columns.map(([, field]) => field);
    const fullValues: unknown[] = new Array(rowsPerStatement * fields.length);
    const singleValues: unknown[] = new Array(fields.length);
    /** Copies `count` records from `start` into `into`, column after column (one array reused per statement). */
    const bind = (records: readonly Record[], start: number, count: number, into: unknown[]): unknown[] => {
      let at = 0;
      for (let r = start; r < start + count; r++) {
        const record = records[r] as { readonly [field: string]: unknown };
        for (const field of fields) into[at++] = record[field];
      }
      return into;
    };
    return (records) => {
      let start = 0;
      for (; start + rowsPerStatement <= records.length; start += rowsPerStatement) full.run(bind(records, start, rowsPerStatement, fullValues));
      for (; start < records.length; start++) single.run(bind(records, start, 1, singleValues));
    };
  }
}
