import type { Db } from "../../core/store/database.ts";
import { emptyCounts, type ChangeCounts } from "./report.ts";
import { MSSANTE, PEOPLE, SITES, SKILLS, stagingKey, type TableSpec } from "./tables.ts";

/**
 * The staged rows (`s`) joined to the directory's rows they match (`t`, NULL when new);
 * a child row whose professional is not in the directory is skipped, as it always was.
 */
function matchedFrom(spec: TableSpec): string {
  const staged = `temp.${spec.staging} s`;
  if (!spec.child) return `${staged} LEFT JOIN ${spec.table} t ON t.national_id = s.national_id`;
  const sameKey = spec.key.map(([c]) => `t.${c} = s.${c}`).join(" AND ");
  return `${staged} JOIN directory_people p ON p.national_id = s.national_id LEFT JOIN ${spec.table} t ON t.person_id = p.id AND ${sameKey}`;
}

/** Whether an active directory row is absent from the staged rows. */
function missingFrom(spec: TableSpec, row: string): string {
  if (!spec.child) return `NOT EXISTS (SELECT 1 FROM temp.${spec.staging} s WHERE s.national_id = ${row}.national_id)`;
  const sameKey = spec.key.map(([c]) => `s.${c} = ${row}.${c}`).join(" AND ");
  return `NOT EXISTS (SELECT 1 FROM directory_people p JOIN temp.${spec.staging} s ON s.national_id = p.national_id WHERE p.id = ${row}.person_id AND ${sameKey})`;
}

/**
 * Brings one table in line with its staged rows, in SQL so no row is held in memory:
 * inserts new rows, updates changed ones, reactivates returning ones and, when
 * `deactivateMissing`, marks the absent ones inactive. Rows are never deleted; an unchanged
 * row is not written at all, so a second identical import leaves the table byte for byte as
 * it was. The counts are taken before anything is written.
 */
function sync(db: Db, spec: TableSpec, importId: number, deactivateMissing: boolean): ChangeCounts {
  const differs = spec.values.map(([c]) => `t.${c} IS NOT s.${c}`).join(" OR ");
  const counts = db.prepare(
    `SELECT count(*) FILTER (WHERE t.id IS NULL) AS added,
            count(*) FILTER (WHERE t.active = 0) AS reactivated,
            count(*) FILTER (WHERE t.active = 1 AND (${differs})) AS updated,
            count(*) FILTER (WHERE t.active = 1 AND NOT (${differs})) AS unchanged
     FROM ${matchedFrom(spec)}`,
  ).get() as { added: number; reactivated: number; updated: number; unchanged: number };
  const missing = (db.prepare(`SELECT count(*) FROM ${spec.table} t WHERE t.active = 1 AND ${missingFrom(spec, "t")}`).pluck().get() as number);
  const result: ChangeCounts = { ...emptyCounts(), ...counts };
  if (deactivateMissing) result.deactivated = missing;
  else result.unchanged += missing;

  const values = spec.values.map(([c]) => c);
  db.prepare(
    `UPDATE ${spec.table} SET ${values.map((c) => `${c} = m.${c}`).join(", ")}, active = 1, changed_import_id = @importId
     FROM (SELECT t.id AS target, ${values.map((c) => `s.${c} AS ${c}`).join(", ")} FROM ${matchedFrom(spec)}
           WHERE t.active = 0 OR ${differs}) AS m
     WHERE ${spec.table}.id = m.target`,
  ).run({ importId });
  if (deactivateMissing) {
    db.prepare(`UPDATE ${spec.table} SET active = 0, changed_import_id = @importId WHERE active = 1 AND ${missingFrom(spec, spec.table)}`).run({ importId });
  }
  const keyAndValues = [...spec.key, ...spec.values].map(([c]) => c);
  const insertColumns = [...(spec.child ? ["person_id"] : []), ...keyAndValues, ...(spec.child ? [] : ["first_import_id"]), "changed_import_id"];
  const selected = [...(spec.child ? ["p.id"] : []), ...keyAndValues.map((c) => `s.${c}`), ...(spec.child ? [] : ["@importId"]), "@importId"];
  db.prepare(
    `INSERT INTO ${spec.table} (${insertColumns.join(", ")})
     SELECT ${selected.join(", ")} FROM ${matchedFrom(spec)} WHERE t.id IS NULL ORDER BY ${stagingKey(spec).map((c) => `s.${c}`).join(", ")}`,
  ).run({ importId });
  result.active = db.prepare(`SELECT count(*) FROM ${spec.table} WHERE active = 1`).pluck().get() as number;
  return result;
}

export interface ApplyScope {
  /** Which kinds of file this import carried: only those may retire rows. */
  readonly activite: boolean;
  readonly savoirFaire: boolean;
  readonly mssante: boolean;
}

export interface Applied {
  readonly people: ChangeCounts;
  readonly sites: ChangeCounts;
  readonly skills: ChangeCounts;
  readonly mssante: ChangeCounts;
}

/** Writes the staged rows into the directory; the caller runs this inside the import's one transaction. */
export function applyStaged(db: Db, importId: number, scope: ApplyScope): Applied {
  const people = sync(db, PEOPLE, importId, scope.activite);
  return {
    people,
    sites: sync(db, SITES, importId, scope.activite),
    skills: sync(db, SKILLS, importId, scope.savoirFaire),
    mssante: sync(db, MSSANTE, importId, scope.mssante),
  };
}
