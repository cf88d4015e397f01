// Country codes as the Annuaire Santé writes them (ANS nomenclature TRE_R20 « Pays »).
import { describe, expect, it } from "vitest";
import { importDirectory } from "./import-directory.ts";
import { freshDb, grandDouai, rppsNumbers, sitesOf, writeActivite } from "./test-helpers.ts";

const [a, b, c, d, e, f] = rppsNumbers(6);

describe("country codes of the practice address", () => {
  it("takes 99000, 99100 and an empty code as France, and a foreign code as abroad even with a territory postcode", async () => {
    const db = freshDb();
    const file = writeActivite([
      { rpps: a!, lastName: "ZÉRO", postcode: "59500", communeCode: "59178", commune: "DOUAI", countryCode: "99000", country: "France" },
      { rpps: b!, lastName: "CENT", postcode: "59450", communeCode: "59569", commune: "SIN LE NOBLE", countryCode: "99100", country: "France" },
      { rpps: c!, lastName: "VIDE", postcode: "59119", communeCode: "59654", commune: "WAZIERS" },
      { rpps: d!, lastName: "BELGE", postcode: "59500", communeCode: "", commune: "TOURNAI", countryCode: "99131", country: "Belgique" },
      { rpps: e!, lastName: "BELGECODE", postcode: "59500", communeCode: "59178", commune: "DOUAI", countryCode: "99131", country: "Belgique" },
      { rpps: f!, lastName: "REPLI", postcode: "59169", communeCode: "", commune: "GOEULZIN", countryCode: "99000", country: "France" },
    ]);
    const report = await importDirectory(db, [file], grandDouai);
    expect(report.files[0]).toMatchObject({ rowsRead: 6, kept: 4, abroad: 2, outOfTerritory: 0, rejected: 0 });
    expect(sitesOf(db, "ZÉRO")).toEqual([expect.objectContaining({ commune: "Douai", country_code: "99000" })]);
    expect(sitesOf(db, "CENT")).toEqual([expect.objectContaining({ commune: "Sin-le-Noble" })]);
    expect(sitesOf(db, "VIDE")).toEqual([expect.objectContaining({ commune: "Waziers" })]);
    expect(sitesOf(db, "BELGE")).toEqual([]);
    expect(sitesOf(db, "BELGECODE")).toEqual([]);
    // Without a commune code: the postcode and the commune name still find the commune.
    expect(sitesOf(db, "REPLI")).toEqual([expect.objectContaining({ commune_code: "59263", commune: "Gœulzin" })]);
  });
});
