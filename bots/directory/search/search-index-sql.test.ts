import { describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../database.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../territory.ts";
import { indexText, professionFacet, rebuildSearchIndex, setProfileSearchText, specialtyFacet } from "./search-index.ts";
import { insertPopulation, POPULATION, type FakePerson } from "./test-population.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
const names = new Map(territory.communes.map((c) => [c.code, c.name]));

/** The index as it was built before it moved to SQL: person by person in JavaScript (the reference the SQL must match). */
function indexInJavaScript(db: Db, from: number, to: number): void {
  const params = { from, to };
  const people = db.prepare("SELECT id, national_id, last_name, first_name, profession FROM directory_people WHERE active = 1 AND id BETWEEN @from AND @to ORDER BY id").all(params) as { id: number; national_id: string; last_name: string; first_name: string; profession: string }[];
  const skills = db.prepare("SELECT person_id, label FROM directory_skills WHERE active = 1 AND person_id BETWEEN @from AND @to ORDER BY id").all(params) as { person_id: number; label: string }[];
  const sites = db.prepare("SELECT id, person_id, commune_code, commune, commune_label FROM directory_sites WHERE active = 1 AND person_id BETWEEN @from AND @to ORDER BY id").all(params) as { id: number; person_id: number; commune_code: string; commune: string; commune_label: string }[];
  const profiles = new Map((db.prepare("SELECT national_id, text FROM directory_profile_search_text").all() as { national_id: string; text: string }[]).map((r) => [r.national_id, r.text]));
  for (const p of people) {
    const name = indexText(`${p.first_name} ${p.last_name}`);
    const sortName = indexText(`${p.last_name} ${p.first_name}`);
    const profession = indexText(p.profession);
    const labels = skills.filter((s) => s.person_id === p.id).map((s) => indexText(s.label));
    const places = sites.filter((s) => s.person_id === p.id);
    const communes = [...new Set(places.map((s) => indexText(s.commune_label || s.commune)))];
    db.prepare("INSERT INTO directory_search (rowid, names, profession, skills, communes, profile) VALUES (?, ?, ?, ?, ?, ?)").run(p.id, name, profession, labels.join(" ; "), communes.join(" ; "), profiles.get(p.national_id) ?? "");
    db.prepare("INSERT INTO directory_search_people (person_id, sort_name) VALUES (?, ?)").run(p.id, sortName);
    const facet = db.prepare("INSERT OR IGNORE INTO directory_search_facets (facet, person_id) VALUES (?, ?)");
    facet.run(professionFacet(profession), p.id);
    for (const label of labels) facet.run(specialtyFacet(label), p.id);
    const site = db.prepare("INSERT INTO directory_search_sites (person_id, site_id, commune_code, profession, sort_name) VALUES (?, ?, ?, ?, ?)");
    if (places.length === 0) site.run(p.id, null, "", profession, sortName);
    for (const s of places) site.run(p.id, s.id, s.commune_code, profession, sortName);
  }
}

const TABLES = ["directory_search_people", "directory_search_facets", "directory_search_sites"];

function dump(db: Db): object {
  return {
    text: db.prepare("SELECT rowid, names, profession, skills, communes, profile FROM directory_search ORDER BY rowid").all(),
    people: db.prepare("SELECT * FROM directory_search_people ORDER BY person_id").all(),
    facets: db.prepare("SELECT * FROM directory_search_facets ORDER BY facet, person_id").all(),
    // In rowid order: the ranking's site cache reads a person's sites in that order.
    sites: db.prepare("SELECT * FROM directory_search_sites ORDER BY id").all(),
    matches: ["cardio*", "douai", "ee*", "zcare*", "goeulzin"].map((q) => db.prepare("SELECT rowid FROM directory_search WHERE directory_search MATCH ? ORDER BY rowid").pluck().all(q)),
  };
}

function clear(db: Db): void {
  db.exec(["directory_search", ...TABLES].map((t) => `DELETE FROM ${t};`).join(" "));
}

/** Edge cases beside the usual population: no site, two sites in one commune, an empty commune label, repeated and inactive savoir-faire. */
const EXTRA: FakePerson[] = [
  { rpps: "10000009001", last: "SANSLIEU", first: "Noé", profession: "Infirmier", skills: ["Soins palliatifs", "SOINS PALLIATIFS"], sites: [] },
  { rpps: "10000009002", last: "DEUX-SITES", first: "Ève", profession: "Médecin", skills: ["Médecine Générale", "Cardiologie et maladies vasculaires"], sites: [["59178", "1"], ["59569", "2"], ["59178", "3"], ["59165", "4", "inactive"]] },
  { rpps: "10000009003", last: "ÉTIQUETTE", first: "Zoë", profession: "Sage-Femme", sites: [["59263", "5"]] },
];

function population(): Db {
  const db = openDatabase(":memory:");
  insertPopulation(db, [...POPULATION, ...EXTRA], names);
  const person = (last: string): number => db.prepare("SELECT id FROM directory_people WHERE last_name = ?").pluck().get(last) as number;
  db.prepare("UPDATE directory_sites SET commune_label = '' WHERE person_id = ? AND phone = '5'").run(person("ÉTIQUETTE"));
  db.prepare("UPDATE directory_skills SET active = 0 WHERE person_id = ? AND label = 'Médecine Générale'").run(person("DEUX-SITES"));
  for (const [last, careModes] of [["LAMBERT", ["domicile"]], ["SANSLIEU", ["cabinet", "téléconsultation"]]] as const) {
    const nationalId = db.prepare("SELECT national_id FROM directory_people WHERE last_name = ?").pluck().get(last) as string;
    db.prepare("INSERT INTO directory_profile_search_text (national_id, text, updated_at) VALUES (?, ?, 0)").run(nationalId, careModes.map((m) => `zcare${indexText(m).replace(/ /g, "")}`).join(" "));
  }
  return db;
}

describe("search index built in SQL", () => {
  it("holds exactly what the person-by-person build wrote, row for row and in the same order", () => {
    const db = population();
    rebuildSearchIndex(db);
    const inSql = dump(db);
    clear(db);
    indexInJavaScript(db, 0, Number.MAX_SAFE_INTEGER);
    expect(dump(db)).toEqual(inSql);
    expect((inSql as { sites: unknown[] }).sites.length).toBeGreaterThan(40);
  });

  it("re-indexes one person as the person-by-person build did", () => {
    const reference = population();
    rebuildSearchIndex(reference);
    const db = population();
    rebuildSearchIndex(db);
    const nationalId = db.prepare("SELECT national_id FROM directory_people WHERE last_name = 'DEUX-SITES'").pluck().get() as string;
    const profile = { skills: ["Rééducation"], languages: ["en"], equipment: ["ECG"], careModes: ["domicile"] };
    setProfileSearchText(db, nationalId, profile, 0);
    setProfileSearchText(reference, nationalId, profile, 0);
    const id = reference.prepare("SELECT id FROM directory_people WHERE national_id = ?").pluck().get(nationalId) as number;
    for (const table of TABLES) reference.prepare(`DELETE FROM ${table} WHERE person_id = ?`).run(id);
    reference.prepare("DELETE FROM directory_search WHERE rowid = ?").run(id);
    indexInJavaScript(reference, id, id);
    expect(dump(db)).toEqual(dump(reference));
  });

  it("leaves the index tables' own indexes as the schema declares them", () => {
    const db = population();
    const indexes = (): unknown[] => db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN (${TABLES.map((t) => `'${t}'`).join(", ")}) ORDER BY name`).all();
    const before = indexes();
    expect(before.length).toBeGreaterThanOrEqual(3);
    rebuildSearchIndex(db);
    expect(indexes()).toEqual(before);
    expect(db.prepare("EXPLAIN QUERY PLAN SELECT person_id FROM directory_search_sites WHERE commune_code = '59178' ORDER BY profession, sort_name").all()).toEqual(
      expect.arrayContaining([expect.objectContaining({ detail: expect.stringContaining("directory_search_sites_walk") })]),
    );
  });
});
