import type { Db } from "../../core/store/database.ts";
import type { Collected } from "./records.ts";
import { emptyCounts, type ChangeCounts } from "./report.ts";

/** SQL column ← record field, for the columns an import may change. */
type Columns = readonly (readonly [string, string])[];

interface TableSpec {
  readonly table: string;
  /** Columns that identify a row (besides person_id for child tables). */
  readonly key: Columns;
  readonly values: Columns;
  readonly child: boolean;
}

const PEOPLE: TableSpec = {
  table: "directory_people", child: false,
  key: [["national_id", "nationalId"]],
  values: [["id_type", "idType"], ["identifier", "identifier"], ["civility_code", "civilityCode"], ["civility", "civility"],
    ["practice_civility", "practiceCivility"], ["last_name", "lastName"], ["first_name", "firstName"], ["profession_code", "professionCode"],
    ["profession", "profession"], ["category_code", "categoryCode"], ["category", "category"]],
};
const SITES: TableSpec = {
  table: "directory_sites", child: true,
  key: [["site_key", "siteKey"]],
  values: [["mode_code", "modeCode"], ["mode", "mode"], ["sector_code", "sectorCode"], ["sector", "sector"], ["structure_id", "structureId"],
    ["structure_name", "structureName"], ["structure_sign", "structureSign"], ["siret", "siret"], ["finess", "finess"], ["address", "address"],
    ["address_extra", "addressExtra"], ["postcode", "postcode"], ["cedex", "cedex"], ["commune_code", "communeCode"], ["commune", "commune"],
    ["commune_label", "communeLabel"], ["country_code", "countryCode"], ["country", "country"], ["phone", "phone"], ["phone2", "phone2"], ["email", "email"]],
};
const SKILLS: TableSpec = {
  table: "directory_skills", child: true,
  key: [["code", "code"]],
  values: [["label", "label"], ["type_code", "typeCode"], ["type", "type"]],
};
const MSSANTE: TableSpec = {
  table: "directory_mssante", child: true,
  key: [["address", "address"]],
  values: [["box_type", "boxType"]],
};

type Row = Record<string, unknown>;

/**
 * Brings one table in line with the records: inserts new rows, updates changed ones,
 * reactivates returning ones and, when `deactivateMissing`, marks the absent ones
 * inactive. Rows are never deleted; an unchanged row is not written at all, so a
 * second identical import leaves the table byte for byte as it was.
 */
function sync(db: Db, spec: TableSpec, records: Iterable<Row>, personIds: Map<string, number>, importId: number, deactivateMissing: boolean): ChangeCounts {
  const counts = emptyCounts();
  const keyColumns = [...(spec.child ? ["person_id"] : []), ...spec.key.map(([c]) => c)];
  const keyOf = (row: Row): string => keyColumns.map((c) => String(row[c])).join("\u0000");
  const existing = new Map<string, Row>();
  for (const row of db.prepare(`SELECT * FROM ${spec.table}`).all() as Row[]) existing.set(keyOf(row), row);
  const all = [...spec.key, ...spec.values];
  const insertColumns = [...(spec.child ? ["person_id"] : []), ...all.map(([c]) => c), ...(spec.child ? [] : ["first_import_id"]), "changed_import_id"];
  const insert = db.prepare(`INSERT INTO ${spec.table} (${insertColumns.join(", ")}) VALUES (${insertColumns.map(() => "?").join(", ")})`);
  const update = db.prepare(`UPDATE ${spec.table} SET ${spec.values.map(([c]) => `${c} = ?`).join(", ")}, active = 1, changed_import_id = ? WHERE id = ?`);
  const deactivate = db.prepare(`UPDATE ${spec.table} SET active = 0, changed_import_id = ? WHERE id = ?`);
  const seen = new Set<string>();
  for (const record of records) {
    const row: Row = {};
    if (spec.child) {
      const personId = personIds.get(String(record.nationalId));
      if (personId === undefined) continue;
      row.person_id = personId;
    }
    for (const [column, field] of all) row[column] = record[field];
    const key = keyOf(row);
    seen.add(key);
    const before = existing.get(key);
    const values = spec.values.map(([c]) => row[c]);
    if (!before) {
      insert.run(...insertColumns.map((c) => (c === "first_import_id" || c === "changed_import_id" ? importId : row[c])));
      counts.added++;
    } else if (before.active === 0) {
      update.run(...values, importId, before.id);
      counts.reactivated++;
    } else if (spec.values.some(([c]) => before[c] !== row[c])) {
      update.run(...values, importId, before.id);
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  for (const [key, row] of existing) {
    if (seen.has(key) || row.active === 0) continue;
    if (deactivateMissing) {
      deactivate.run(importId, row.id);
      counts.deactivated++;
    } else {
      counts.unchanged++;
    }
  }
  counts.active = (db.prepare(`SELECT count(*) AS n FROM ${spec.table} WHERE active = 1`).get() as { n: number }).n;
  return counts;
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

/** Writes what was collected; the caller runs this inside the import's one transaction. */
export function applyCollected(db: Db, collected: Collected, importId: number, scope: ApplyScope): Applied {
  const asRows = <T extends object>(values: Iterable<T>): Iterable<Row> => values as Iterable<Row>;
  const people = sync(db, PEOPLE, asRows(collected.people.values()), new Map(), importId, scope.activite);
  const personIds = new Map<string, number>();
  for (const { id, national_id } of db.prepare("SELECT id, national_id FROM directory_people").all() as { id: number; national_id: string }[]) {
    personIds.set(national_id, id);
  }
  return {
    people,
    sites: sync(db, SITES, asRows(collected.sites.values()), personIds, importId, scope.activite),
    skills: sync(db, SKILLS, asRows(collected.skills.values()), personIds, importId, scope.savoirFaire),
    mssante: sync(db, MSSANTE, asRows(collected.mssante.values()), personIds, importId, scope.mssante),
  };
}
