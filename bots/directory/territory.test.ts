import { describe, expect, it } from "vitest";
import { distanceKm, foldName, GRAND_DOUAI_FILE, loadTerritoryExample, locateInTerritory, restrictTerritory } from "./territory.ts";

const douai = loadTerritoryExample(GRAND_DOUAI_FILE);

describe("territory of CPTS Grand Douai", () => {
  it("has the 21 communes of the seeds, with unique INSEE codes", () => {
    expect(douai.communes).toHaveLength(21);
    expect(new Set(douai.communes.map((c) => c.code)).size).toBe(21);
    expect(douai.communes.find((c) => c.code === "59178")?.name).toBe("Douai");
  });

  it("locates a site by commune code, else by postcode, using the commune name when a postcode is shared", () => {
    expect(locateInTerritory(douai, { communeCode: "59569", postcode: "", communeName: "" })?.name).toBe("Sin-le-Noble");
    expect(locateInTerritory(douai, { communeCode: "75056", postcode: "75001", communeName: "Paris" })).toBeUndefined();
    expect(locateInTerritory(douai, { communeCode: "", postcode: "59500", communeName: "" })?.name).toBe("Douai");
    expect(locateInTerritory(douai, { communeCode: "", postcode: "59151", communeName: "ESTREES" })?.name).toBe("Estrées");
    expect(locateInTerritory(douai, { communeCode: "", postcode: "59169", communeName: "GOEULZIN" })?.name).toBe("Gœulzin");
    expect(locateInTerritory(douai, { communeCode: "", postcode: "62000", communeName: "ARRAS" })).toBeUndefined();
  });

  it("restricts to chosen communes and refuses codes outside the territory", () => {
    expect(restrictTerritory(douai, ["59178", "59569"]).communes.map((c) => c.name)).toEqual(["Douai", "Sin-le-Noble"]);
    expect(() => restrictTerritory(douai, ["59178", "75056"])).toThrow(/75056/);
  });
});

describe("foldName", () => {
  it("folds case, accents, ligatures, hyphens and apostrophes", () => {
    expect(foldName("Gœulzin")).toBe("goeulzin");
    expect(foldName("LAMBRES-LEZ-DOUAI")).toBe("lambres lez douai");
    expect(foldName("  Férin ")).toBe("ferin");
    expect(foldName("l’infirmière")).toBe("l infirmiere");
  });
});

describe("distanceKm", () => {
  it("measures between commune centres", () => {
    const byName = (name: string) => douai.communes.find((c) => c.name === name)!;
    expect(distanceKm(byName("Douai"), byName("Douai"))).toBe(0);
    const douaiToSin = distanceKm(byName("Douai"), byName("Sin-le-Noble"));
    expect(douaiToSin).toBeGreaterThan(1.5);
    expect(douaiToSin).toBeLessThan(4);
    expect(distanceKm(byName("Auby"), byName("Lécluse"))).toBeGreaterThan(distanceKm(byName("Auby"), byName("Cuincy")));
  });
});
