import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../../core/store/database.ts";
import { DIRECTORY_SCHEMA } from "../migrations.ts";
import { FILES } from "../fixtures/build-fixtures.ts";
import { ACTIVITE_HEADER_56, line, row, withLuhnKey } from "../fixtures/extract-format.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../territory.ts";

export const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
export const fixture = (name: keyof typeof FILES): string => join(FIXTURES, FILES[name]);
export const grandDouai = loadTerritoryExample(GRAND_DOUAI_FILE);
export const freshDb = (): Db => openDatabase(":memory:", [DIRECTORY_SCHEMA]);

/** The directory tables as plain rows, to compare two states. */
export function snapshot(db: Db): Record<string, unknown[]> {
  const tables = ["directory_people", "directory_sites", "directory_skills", "directory_mssante"];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()]));
}

export function person(db: Db, lastName: string): Record<string, unknown> | undefined {
  return db.prepare("SELECT * FROM directory_people WHERE last_name = ?").get(lastName) as Record<string, unknown> | undefined;
}

export function sitesOf(db: Db, lastName: string): Record<string, unknown>[] {
  return db.prepare("SELECT s.* FROM directory_sites s JOIN directory_people p ON p.id = s.person_id WHERE p.last_name = ? ORDER BY s.site_key").all(lastName) as Record<string, unknown>[];
}

export interface ActiviteRow {
  readonly rpps: string;
  readonly lastName: string;
  readonly profession?: readonly [code: string, label: string];
  readonly postcode: string;
  readonly communeCode: string;
  readonly commune: string;
  readonly countryCode?: string;
  readonly country?: string;
  readonly structure?: string;
}

/** A Personne_activite extract (56 columns, as published) with the given rows, in a fresh folder. */
export function writeActivite(rows: readonly ActiviteRow[], stamp = "202603010000"): string {
  const file = join(mkdtempSync(join(tmpdir(), "cpts-annuaire-rows-")), `PS_LibreAcces_Personne_activite_${stamp}.txt`);
  const lines = rows.map((r, i) =>
    row(ACTIVITE_HEADER_56, {
      "Type d'identifiant PP": "8", "Identifiant PP": r.rpps, "Identification nationale PP": `8${r.rpps}`,
      "Nom d'exercice": r.lastName, "Prénom d'exercice": "Alex",
      "Code profession": r.profession?.[0] ?? "60", "Libellé profession": r.profession?.[1] ?? "Infirmier",
      "Code mode exercice": "L", "Libellé mode exercice": "Libéral",
      "Identifiant technique de la structure": r.structure ?? `S${i}`, "Raison sociale site": `CABINET ${r.lastName}`,
      "Code postal (coord. structure)": r.postcode, "Code commune (coord. structure)": r.communeCode, "Libellé commune (coord. structure)": r.commune,
      "Code pays (coord. structure)": r.countryCode ?? "", "Libellé pays (coord. structure)": r.country ?? "",
    }),
  );
  writeFileSync(file, [line(ACTIVITE_HEADER_56), ...lines, ""].join("\r\n"));
  return file;
}

/** `count` valid RPPS numbers, distinct for each `series`. */
export const rppsNumbers = (count: number, series = 1): string[] =>
  Array.from({ length: count }, (_, i) => withLuhnKey(String(2_000_000_000 + series * 10_000 + i)));
