import { join } from "node:path";
import { openDatabase, type Db } from "../../core/store/database.ts";
import { FILES } from "../fixtures/build-fixtures.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../territory.ts";

export const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
export const fixture = (name: keyof typeof FILES): string => join(FIXTURES, FILES[name]);
export const grandDouai = loadTerritoryExample(GRAND_DOUAI_FILE);
export const freshDb = (): Db => openDatabase(":memory:");

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
