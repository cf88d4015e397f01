// Another CPTS than the demo's: communes around Vannes (Morbihan, Bretagne), configured by
// their INSEE codes only. Import, search and distances work for it; nothing of Grand Douai
// is assumed anywhere.
import { describe, expect, it } from "vitest";
import { parseBotsConfig } from "../core/config.ts";
import { openDatabase } from "../database.ts";
import { importDirectory } from "./import/import-directory.ts";
import { rppsNumbers, writeActivite } from "./import/test-helpers.ts";
import { parseDirectoryQuery } from "./search/query.ts";
import { searchDirectory } from "./search/search.ts";
import { distanceKm } from "./territory.ts";

const VANNES_AREA = ["56260", "56243", "56206", "56251", "56003", "56158"];
const config = parseBotsConfig(
  {
    homeserverUrl: "http://127.0.0.1:8008",
    dataDir: "data",
    cpts: { name: "CPTS Golfe du Morbihan (test)", coordinators: ["@coordination:cpts-golfe.test"], territory: { communes: VANNES_AREA } },
    invites: { acceptFrom: "verified-members" },
    bots: {},
  },
  "/",
);
const territory = config.cpts.territory;
const commune = (name: string) => territory.communes.find((c) => c.name === name)!;
const KINE = ["70", "Masseur-Kinésithérapeute"] as const;
const IDE = ["60", "Infirmier"] as const;

describe("a second CPTS territory (around Vannes)", () => {
  it("resolves its communes from the published data: names, postcodes, centres", () => {
    expect(territory.communes.map((c) => [c.code, c.name, c.postcodes])).toEqual([
      ["56260", "Vannes", ["56000"]],
      ["56243", "Séné", ["56860"]],
      ["56206", "Saint-Avé", ["56890"]],
      ["56251", "Theix-Noyalo", ["56450"]],
      ["56003", "Arradon", ["56610"]],
      ["56158", "Plescop", ["56890"]],
    ]);
    // Vannes–Séné: about 4 km between centres; Vannes–Theix-Noyalo about 9 km.
    expect(distanceKm(commune("Vannes"), commune("Séné"))).toBeGreaterThan(3);
    expect(distanceKm(commune("Vannes"), commune("Séné"))).toBeLessThan(6);
    expect(distanceKm(commune("Vannes"), commune("Theix-Noyalo"))).toBeGreaterThan(7);
    expect(distanceKm(commune("Vannes"), commune("Theix-Noyalo"))).toBeLessThan(11);
  });

  it("imports its professionals only, then finds them by profession and commune, nearest first", async () => {
    const db = openDatabase(":memory:");
    const [a, b, c, d, e, f, g] = rppsNumbers(7, 56);
    const file = writeActivite([
      { rpps: a!, lastName: "LE GOFF", profession: KINE, postcode: "56000", communeCode: "56260", commune: "VANNES", countryCode: "99000" },
      { rpps: b!, lastName: "LE BIHAN", profession: KINE, postcode: "56860", communeCode: "56243", commune: "SENE" },
      { rpps: c!, lastName: "MORVAN", profession: KINE, postcode: "56450", communeCode: "56251", commune: "THEIX NOYALO", countryCode: "99100" },
      { rpps: d!, lastName: "TANGUY", profession: IDE, postcode: "56890", communeCode: "", commune: "PLESCOP" },
      { rpps: e!, lastName: "GUILLOU", profession: IDE, postcode: "56890", communeCode: "", commune: "SAINT AVE" },
      // Grand Douai and elsewhere: not this CPTS.
      { rpps: f!, lastName: "DOUAISIEN", profession: KINE, postcode: "59500", communeCode: "59178", commune: "DOUAI" },
      { rpps: g!, lastName: "BREST", profession: KINE, postcode: "29200", communeCode: "29019", commune: "BREST" },
    ]);
    const report = await importDirectory(db, [file], territory);
    expect(report.territory).toEqual({ name: "CPTS Golfe du Morbihan (test)", communes: VANNES_AREA });
    expect(report.files[0]).toMatchObject({ rowsRead: 7, kept: 5, outOfTerritory: 2 });
    const communes = db.prepare("SELECT p.last_name AS name, s.commune FROM directory_sites s JOIN directory_people p ON p.id = s.person_id ORDER BY p.last_name").all();
    // Plescop and Saint-Avé share the postcode 56890: the commune name tells them apart.
    expect(communes).toEqual([
      { name: "GUILLOU", commune: "Saint-Avé" },
      { name: "LE BIHAN", commune: "Séné" },
      { name: "LE GOFF", commune: "Vannes" },
      { name: "MORVAN", commune: "Theix-Noyalo" },
      { name: "TANGUY", commune: "Plescop" },
    ]);

    const search = (text: string) => {
      const parsed = parseDirectoryQuery(text, territory);
      if (!parsed.ok) throw new Error(parsed.error);
      return { query: parsed.query, page: searchDirectory(db, territory, parsed.query, { page: 1, pageSize: 20 }) };
    };
    const kine = search("kiné Séné");
    expect(kine.query.communes.map((c) => c.name)).toEqual(["Séné"]);
    expect(kine.page.results.map((r) => [r.name.split(" ").slice(1).join(" "), r.commune])).toEqual([
      ["LE BIHAN", "Séné"],
      ["LE GOFF", "Vannes"],
      ["MORVAN", "Theix-Noyalo"],
    ]);
    const km = kine.page.results.map((r) => r.distanceKm!);
    expect(km[0]).toBe(0);
    expect(km[1]).toBeCloseTo(distanceKm(commune("Séné"), commune("Vannes")), 1);
    expect(km[2]).toBeGreaterThan(km[1]!);

    // Douai is no commune of this territory: a free word, matching nobody here.
    expect(search("kiné Douai").query.communes).toEqual([]);
    expect(search("infirmier Saint-Avé").page.results[0]).toMatchObject({ commune: "Saint-Avé" });
  });
});
