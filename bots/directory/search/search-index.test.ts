import { describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../database.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../territory.ts";
import { parseDirectoryQuery, type DirectoryQuery } from "./query.ts";
import { searchDirectory } from "./search.ts";
import { loadResults } from "./details.ts";
import { placesFrom, rankCandidates } from "./rank.ts";
import { ensureSearchIndex, rebuildSearchIndex } from "./search-index.ts";
import { insertPopulation, POPULATION, type FakePerson } from "./test-population.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
const names = new Map(territory.communes.map((c) => [c.code, c.name]));
const douai = territory.communes.find((c) => c.name === "Douai")!;
const parsed = (text: string): DirectoryQuery => {
  const p = parseDirectoryQuery(text, territory);
  if (!p.ok) throw new Error(p.error);
  return p.query;
};

function nurses(count: number): FakePerson[] {
  return Array.from({ length: count }, (_, i) => ({
    rpps: String(20000000000 + i),
    last: `NURSE${String((i * 7919) % count).padStart(5, "0")}`,
    first: "Test",
    profession: "Infirmier",
    sites: [[territory.communes[i % territory.communes.length]!.code, ""], ...(i % 3 === 0 ? [[territory.communes[(i * 5) % territory.communes.length]!.code, ""] as const] : [])],
  }));
}

describe("search index", () => {
  it("follows the directory at each rebuild: deactivated people leave, new ones appear, twice is the same", () => {
    const db: Db = openDatabase(":memory:");
    insertPopulation(db, POPULATION, names);
    expect(ensureSearchIndex(db)).toBe(true);
    expect(ensureSearchIndex(db)).toBe(false);
    const ids = () => searchDirectory(db, territory, parsed("IDE"), { page: 1, pageSize: 100 }).results.map((r) => r.name);
    const before = ids();
    rebuildSearchIndex(db);
    expect(ids()).toEqual(before);
    db.prepare("UPDATE directory_people SET active = 0 WHERE last_name = 'DURAND'").run();
    insertPopulation(db, [{ rpps: "10000009999", last: "NOUVEL", first: "Ange", profession: "Infirmier", sites: [["59178", ""]] }], names);
    expect(ensureSearchIndex(db)).toBe(true);
    expect(ids()).not.toContain("Sophie DURAND");
    expect(ids()).toContain("Ange NOUVEL");
  });

  it("ranks a large result set by walking communes exactly as it ranks a small one in memory", () => {
    const db: Db = openDatabase(":memory:");
    insertPopulation(db, [...POPULATION, ...nurses(2_600)], names);
    rebuildSearchIndex(db);
    const query = parsed("IDE");
    const ids = db.prepare("SELECT person_id FROM directory_search_facets WHERE facet = 'p:infirmier'").pluck().all() as number[];
    const places = placesFrom(territory, [douai]);
    const inMemory = rankCandidates(db, ids, places);
    const all = { results: loadResults(db, territory, places, inMemory) };
    expect(searchDirectory(db, territory, query, { origin: douai, page: 1, pageSize: 20 }).total).toBe(2_609);
    expect(all.results).toHaveLength(2_609);
    // The same order, through the walk, page by page (page 1, a middle page, the last).
    for (const page of [1, 87, 131]) {
      const one = searchDirectory(db, territory, query, { origin: douai, page, pageSize: 20 });
      expect(one.results.map((r) => r.personId)).toEqual(all.results.slice((page - 1) * 20, page * 20).map((r) => r.personId));
    }
    // A free word matching thousands (every NURSE… name) is walked the same way.
    const named = inMemory.filter((r) => all.results.find((x) => x.personId === r.personId)!.name.includes("NURSE"));
    const byName = searchDirectory(db, territory, parsed("nurse"), { origin: douai, page: 40, pageSize: 25 });
    expect(byName.total).toBe(2_600);
    expect(byName.results.map((r) => r.personId)).toEqual(named.slice(975, 1_000).map((r) => r.personId));
    const kms = all.results.map((r) => r.distanceKm!);
    expect(kms.every((k, i) => i === 0 || kms[i - 1]! <= k)).toBe(true);
  });
});
