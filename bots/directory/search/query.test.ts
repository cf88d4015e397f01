import { describe, expect, it } from "vitest";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../territory.ts";
import { MAX_QUERY_LENGTH, parseDirectoryQuery, type DirectoryQuery } from "./query.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);

function parsed(text: string): DirectoryQuery {
  const result = parseDirectoryQuery(text, territory);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.query;
}
const communeNames = (q: DirectoryQuery) => q.communes.map((c) => c.name);

describe("parseDirectoryQuery: the searches people type", () => {
  it("kiné Douai domicile", () => {
    const q = parsed("kiné Douai domicile");
    expect(q.professions).toEqual([{ profession: "masseur kinesitherapeute" }]);
    expect(communeNames(q)).toEqual(["Douai"]);
    expect(q.careModes).toEqual(["domicile"]);
    expect(q.terms).toEqual([]);
  });

  it("cardiologue ECG", () => {
    const q = parsed("cardiologue ECG");
    expect(q.professions).toEqual([{ profession: "medecin", specialty: "cardiologie" }]);
    expect(q.equipment).toEqual(["ecg"]);
  });

  it("IDE Sin-le-Noble, with or without hyphens and accents", () => {
    for (const text of ["IDE Sin-le-Noble", "ide sin le noble", "infirmière SIN-LE-NOBLE"]) {
      const q = parsed(text);
      expect(q.professions).toEqual([{ profession: "infirmier" }]);
      expect(communeNames(q)).toEqual(["Sin-le-Noble"]);
    }
  });

  it("sage-femme qui parle anglais", () => {
    const q = parsed("sage-femme qui parle anglais");
    expect(q.professions).toEqual([{ profession: "sage femme" }]);
    expect(q.languages).toEqual(["en"]);
    expect(q.terms).toEqual([]);
  });

  it("MG, généraliste and médecin traitant all mean a GP", () => {
    for (const text of ["MG", "généraliste", "médecin traitant"]) {
      expect(parsed(text).professions).toEqual([{ profession: "medecin", specialty: "medecine generale" }]);
    }
  });

  it("prefers the longest commune name and knows the ligature of Gœulzin", () => {
    expect(communeNames(parsed("pharmacie Lambres-lez-Douai"))).toEqual(["Lambres-lez-Douai"]);
    expect(communeNames(parsed("pharma goeulzin"))).toEqual(["Gœulzin"]);
    expect(communeNames(parsed("kiné Flers"))).toEqual(["Flers-en-Escrebieux"]);
  });

  it("keeps what it does not know as free terms (names, skills)", () => {
    const q = parsed("Dupont plaies chroniques Cuincy");
    expect(communeNames(q)).toEqual(["Cuincy"]);
    expect(q.terms).toEqual(["dupont", "plaies", "chroniques"]);
  });
});

describe("parseDirectoryQuery: bad input", () => {
  it("refuses an empty search, or one made only of quotes and operators", () => {
    for (const text of ["", "   ", '"" * OR AND ()', "NOT -- ; « »"]) {
      expect(parseDirectoryQuery(text, territory)).toEqual({ ok: false, error: "empty" });
    }
  });

  it("strips search-engine and SQL syntax so it never reaches a query language", () => {
    const q = parsed(`kiné" OR 1=1; -- NEAR(douai*) '`);
    expect(q.professions).toEqual([{ profession: "masseur kinesitherapeute" }]);
    expect(communeNames(q)).toEqual(["Douai"]);
    for (const term of q.terms) expect(term).toMatch(/^[a-z0-9]+$/);
  });

  it("refuses 10 KB of text quickly", () => {
    const started = performance.now();
    expect(parseDirectoryQuery("kiné ".repeat(2_048), territory)).toEqual({ ok: false, error: "too-long" });
    expect(parseDirectoryQuery("x".repeat(MAX_QUERY_LENGTH + 1), territory)).toEqual({ ok: false, error: "too-long" });
    expect(performance.now() - started).toBeLessThan(20);
  });
});
