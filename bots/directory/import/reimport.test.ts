import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restrictTerritory } from "../territory.ts";
import { importDirectory } from "./import-directory.ts";
import { ImportRefused } from "./refused.ts";
import { fixture, freshDb, grandDouai, person, sitesOf, snapshot } from "./test-helpers.ts";

/** A later edition of the extract: the given edit applied to the 56-column fixture. */
function edition(edit: (lines: string[]) => string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "cpts-annuaire-")), "PS_LibreAcces_Personne_activite_202602010000.txt");
  writeFileSync(file, edit(readFileSync(fixture("activite56"), "utf8").split("\r\n")).join("\r\n"));
  return file;
}

describe("re-import", () => {
  it("changes nothing when the same files come again", async () => {
    const db = freshDb();
    const files = [fixture("activite56"), fixture("savoirFaire"), fixture("mssante")];
    await importDirectory(db, files, grandDouai);
    const before = snapshot(db);
    const second = await importDirectory(db, files, grandDouai);
    expect(snapshot(db)).toEqual(before);
    for (const counts of [second.people, second.sites, second.skills, second.mssante]) {
      expect(counts).toMatchObject({ added: 0, updated: 0, deactivated: 0, reactivated: 0 });
    }
    expect(db.prepare("SELECT count(*) AS n FROM directory_imports").get()).toEqual({ n: 2 });
  });

  it("marks a person gone from the extract inactive, keeps the row, and brings them back later", async () => {
    const db = freshDb();
    await importDirectory(db, [fixture("activite56")], grandDouai);
    const withoutDelattre = edition((lines) => lines.filter((l) => !l.includes("|DELATTRE|")));
    const report = await importDirectory(db, [withoutDelattre], grandDouai);
    expect(person(db, "DELATTRE")).toMatchObject({ active: 0 });
    expect(sitesOf(db, "DELATTRE")).toEqual([expect.objectContaining({ active: 0 })]);
    expect(report.people).toMatchObject({ deactivated: 1, active: 4 });
    const back = await importDirectory(db, [fixture("activite56")], grandDouai);
    expect(person(db, "DELATTRE")).toMatchObject({ active: 1 });
    expect(back.people).toMatchObject({ reactivated: 1, active: 5 });
  });

  it("updates a changed phone and retires a site that closed", async () => {
    const db = freshDb();
    await importDirectory(db, [fixture("activite56")], grandDouai);
    const moved = edition((lines) => lines
      .map((l) => l.replace("|0327000101|", "|0327999999|"))
      .filter((l) => !l.includes("MAISON DE SANTÉ DU BRAY")));
    const report = await importDirectory(db, [moved], grandDouai);
    expect(sitesOf(db, "LEFÈVRE").map((s) => [s.commune, s.phone, s.active])).toEqual([["Douai", "0327999999", 1], ["Sin-le-Noble", "0327000102", 0]]);
    expect(report.sites).toMatchObject({ updated: 1, deactivated: 1 });
    expect(person(db, "LEFÈVRE")).toMatchObject({ active: 1 });
  });

  it("restricts the import to the communes given (--communes)", async () => {
    const db = freshDb();
    const report = await importDirectory(db, [fixture("activite56")], restrictTerritory(grandDouai, ["59178"]));
    expect(report.territory.communes).toEqual(["59178"]);
    expect(db.prepare("SELECT DISTINCT commune_code FROM directory_sites").all()).toEqual([{ commune_code: "59178" }]);
    expect(sitesOf(db, "LEFÈVRE").map((s) => s.commune)).toEqual(["Douai"]);
  });
});

describe("refusal of a file that cannot be trusted", () => {
  const cases = [
    ["truncated", /tronqué/],
    ["latin1", /pas encodé en UTF-8 \(ligne 3\)/],
    ["missingColumn", /colonne\(s\) obligatoire\(s\) absente\(s\) : Identification nationale PP/],
    ["notExtract", /pas une extraction de l'Annuaire Santé/],
    ["empty", /vide/],
  ] as const;
  for (const [name, reason] of cases) {
    it(`refuses the ${name} file and leaves the previous directory intact`, async () => {
      const db = freshDb();
      await importDirectory(db, [fixture("activite56"), fixture("mssante")], grandDouai);
      const before = snapshot(db);
      const refusal = importDirectory(db, [fixture("activite52"), fixture(name)], grandDouai);
      await expect(refusal).rejects.toBeInstanceOf(ImportRefused);
      await expect(refusal).rejects.toMatchObject({ reason: expect.stringMatching(reason) });
      expect(snapshot(db)).toEqual(before);
      expect(db.prepare("SELECT count(*) AS n FROM directory_imports").get()).toEqual({ n: 1 });
    });
  }

  it("refuses a zip cut in the middle", async () => {
    const zip = readFileSync(fixture("zip"));
    const file = join(mkdtempSync(join(tmpdir(), "cpts-annuaire-")), "PS_LibreAcces_coupe.zip");
    writeFileSync(file, zip.subarray(0, Math.floor(zip.length / 2)));
    await expect(importDirectory(freshDb(), [file], grandDouai)).rejects.toMatchObject({ reason: expect.stringContaining("archive") });
  });
});
