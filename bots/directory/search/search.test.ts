import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../database.ts";
import { distanceKm, GRAND_DOUAI_FILE, loadTerritoryExample, type Commune } from "../territory.ts";
import { parseDirectoryQuery } from "./query.ts";
import { searchDirectory, type SearchPage } from "./search.ts";
import { rebuildSearchIndex, setProfileSearchText } from "./search-index.ts";
import { insertPopulation, POPULATION } from "./test-population.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
const commune = (name: string): Commune => territory.communes.find((c) => c.name === name)!;
let db: Db;

beforeAll(() => {
  db = openDatabase(":memory:");
  insertPopulation(db, POPULATION, new Map(territory.communes.map((c) => [c.code, c.name])));
  const nid = (last: string): string => `8${POPULATION.find((p) => p.last === last)!.rpps}`;
  setProfileSearchText(db, nid("LAMBERT"), { skills: ["rééducation périnéale"], languages: [], equipment: [], careModes: ["domicile"] }, 0);
  setProfileSearchText(db, nid("BERNARD"), { skills: [], languages: ["en"], equipment: ["ecg", "holter"], careModes: ["cabinet"] }, 0);
  rebuildSearchIndex(db);
});

function search(text: string, options: { origin?: string; page?: number; pageSize?: number } = {}): SearchPage {
  const parsed = parseDirectoryQuery(text, territory);
  if (!parsed.ok) throw new Error(`refused: ${parsed.error}`);
  return searchDirectory(db, territory, parsed.query, {
    page: options.page ?? 1,
    pageSize: options.pageSize ?? 50,
    ...(options.origin ? { origin: commune(options.origin) } : {}),
  });
}
const lastNames = (page: SearchPage): string[] => page.results.map((r) => r.name.split(" ").slice(1).join(" "));
const kmOf = (page: SearchPage): number[] => page.results.map((r) => r.distanceKm ?? Infinity);
const nondecreasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || xs[i - 1]! <= x);

describe("searchDirectory: realistic searches", () => {
  it("kiné Douai domicile: the kiné who visits at home, then the Douai ones, then neighbours by distance", () => {
    const page = search("kiné Douai domicile");
    expect(lastNames(page).slice(0, 2)).toEqual(["LAMBERT", "FONTAINE"]);
    expect(page.results.every((r) => r.profession === "Masseur-Kinésithérapeute")).toBe(true);
    expect(nondecreasing(kmOf(page).slice(1))).toBe(true);
    expect(page.results[2]!.commune).not.toBe("Douai");
    expect(lastNames(page)).not.toContain("MERCIER");
    expect(page.unmatched).toEqual([]);
  });

  it("cardiologue ECG: cardiologists only, the one with an ECG first", () => {
    const page = search("cardiologue ECG", { origin: "Sin-le-Noble" });
    expect(lastNames(page)).toEqual(["BERNARD", "PETIT"]);
  });

  it("IDE Sin-le-Noble: nurses of Sin-le-Noble first; a site gone from the extract does not count", () => {
    const page = search("IDE Sin-le-Noble");
    expect(lastNames(page).slice(0, 2)).toEqual(["DURAND", "LEROY"]);
    expect(page.results.every((r) => r.profession === "Infirmier")).toBe(true);
    expect(page.results.find((r) => r.name.endsWith("GIRARD"))!.commune).toBe("Waziers");
    expect(nondecreasing(kmOf(page))).toBe(true);
    const durand = page.results[0]!;
    expect(durand).toMatchObject({ distanceKm: 0, matrixUserId: "@sophie.durand:cpts.example", mssante: "sophie.durand@infirmier.mssante.fr", phone: "0327001101" });
  });

  it("sage-femme: midwives only; échographie finds the one with that savoir-faire first", () => {
    expect(search("sage-femme", { origin: "Douai" }).results.map((r) => r.profession)).toEqual(["Sage-Femme", "Sage-Femme", "Sage-Femme"]);
    expect(lastNames(search("sage-femme échographie", { origin: "Douai" }))[0]).toBe("LEMAIRE");
  });

  it("sage-femme qui parle anglais: says no card mentions it yet, still lists the midwives", () => {
    const page = search("sage-femme qui parle anglais", { origin: "Douai" });
    expect(page.total).toBe(3);
    expect(page.unmatched).toEqual(["anglais"]);
  });

  it("MG Cuincy: GPs only (no cardiologist, no pharmacist), Cuincy first, the inactive one never", () => {
    const page = search("MG Cuincy");
    expect(lastNames(page)[0]).toBe("MARTIN");
    expect(lastNames(page)).not.toContain("NOWAK");
    expect(lastNames(page)).not.toContain("BERNARD");
    expect(page.results.every((r) => r.specialties.includes("Médecine Générale"))).toBe(true);
    expect(page.total).toBe(7);
  });

  it("pharmacie Gœulzin: nobody there, so the nearest pharmacists first", () => {
    const page = search("pharmacie Gœulzin");
    const goeulzin = commune("Gœulzin");
    const expected = [...page.results].sort((a, b) => distanceKm(goeulzin, commune(a.commune!)) - distanceKm(goeulzin, commune(b.commune!)));
    expect(page.results.map((r) => r.name)).toEqual(expected.map((r) => r.name));
    expect(page.results.every((r) => r.profession === "Pharmacien")).toBe(true);
    expect(page.total).toBe(5);
  });

  it("a name with or without accents, apostrophes and ligatures", () => {
    for (const text of ["Lefèvre", "lefevre", "LEFÈVRE Camille"]) expect(lastNames(search(text))[0]).toBe("LEFÈVRE");
    expect(lastNames(search("lefevre"))).not.toContain("LEFEBVRE");
    expect(lastNames(search("d'hondt"))).toEqual(["D'HONDT"]);
    expect(lastNames(search("coeur"))).toEqual(["CŒUR"]);
    expect(lastNames(search("Cœur"))).toEqual(["CŒUR"]);
    expect(lastNames(search("francois"))).toEqual(["FRANÇOIS"]);
  });

  it("an exact name comes before a longer one that starts the same", () => {
    expect(lastNames(search("martin", { origin: "Waziers" }))).toEqual(["MARTIN", "DUBOIS"]);
  });

  it("homonyms are ranked by distance from the asker's commune", () => {
    expect(search("dupont", { origin: "Arleux" }).results.map((r) => r.name)).toEqual(["Marc DUPONT", "Élise DUPONT"]);
    expect(search("dupont", { origin: "Cantin" }).results.map((r) => r.name)).toEqual(["Élise DUPONT", "Marc DUPONT"]);
  });

  it("dentiste: the three dentists, nearest to the asker first", () => {
    const page = search("dentiste", { origin: "Douai" });
    expect(lastNames(page)[0]).toBe("MASSON");
    expect(page.total).toBe(3);
  });

  it("a free word matches a savoir-faire and profile skills", () => {
    expect(lastNames(search("gérontologie"))).toEqual(["GARCIA"]);
    expect(lastNames(search("gériatre"))).toEqual(["GARCIA"]);
    expect(lastNames(search("kiné périnéale"))).toEqual(["LAMBERT"]);
  });

  it("no word matches them all: the closest matches, flagged", () => {
    const page = search("Lefèvre zzzz");
    expect(page.relaxed).toBe(true);
    expect(lastNames(page)[0]).toBe("LEFÈVRE");
  });

  it("nothing at all", () => {
    expect(search("orthoptiste Douai")).toMatchObject({ total: 0, results: [], pages: 1 });
    expect(search("zzzzzz").total).toBe(0);
  });

  it("one result per person, at the site nearest the origin", () => {
    expect(search("lefevre", { origin: "Waziers" }).results[0]!.commune).toBe("Sin-le-Noble");
    expect(search("lefevre", { origin: "Cuincy" }).results[0]!.commune).toBe("Douai");
    expect(search("lefevre").results).toHaveLength(1);
  });
});

describe("searchDirectory: paging and inactive people", () => {
  it("pages cover every result exactly once, in order", () => {
    const all = search("IDE", { origin: "Douai" });
    const pages = [1, 2, 3].map((page) => search("IDE", { origin: "Douai", page, pageSize: 3 }));
    expect(pages[0]).toMatchObject({ total: all.total, pages: Math.ceil(all.total / 3), page: 1 });
    expect(pages.flatMap((p) => p.results.map((r) => r.personId))).toEqual(all.results.map((r) => r.personId));
    expect(search("IDE", { origin: "Douai", page: 9, pageSize: 3 }).results).toEqual([]);
  });

  it("inactive people are never found, by name or profession", () => {
    expect(search("Nowak").total).toBe(0);
    expect(search("Mercier kiné").total).toBe(0);
    expect(search("Douai", { pageSize: 100 }).results.map((r) => r.name)).not.toContain("Paul MERCIER");
  });
});

describe("searchDirectory: hostile input never reaches SQL or FTS syntax", () => {
  it("quotes, operators and SQL", () => {
    const nasty = [`" OR 1=1 --`, `kiné" NEAR(douai, 2)`, `*`, `lefevre*`, `names:lefevre`, `a AND b OR NOT c`, `'); DROP TABLE directory_people; --`, `^lefevre`, `{names}: x`, `“Dupont”`, `\u0000dupont`, `dupont ${"é".repeat(150)}`];
    for (const text of nasty) {
      const parsed = parseDirectoryQuery(text, territory);
      if (parsed.ok) expect(() => searchDirectory(db, territory, parsed.query, { page: 1, pageSize: 5 })).not.toThrow();
    }
    expect(parseDirectoryQuery("x".repeat(10_240), territory)).toEqual({ ok: false, error: "too-long" });
    expect(search("Lefèvre").total).toBe(1);
  });

  it("absurd page numbers and sizes", () => {
    expect(() => search("IDE", { page: -3, pageSize: 0 })).not.toThrow();
    expect(search("IDE", { page: Number.NaN, pageSize: 2 }).page).toBe(1);
  });
});
