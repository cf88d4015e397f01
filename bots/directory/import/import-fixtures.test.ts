import { describe, expect, it } from "vitest";
import { ADELI_DHONDT, BAD_RPPS, LINE, RPPS } from "../fixtures/build-fixtures.ts";
import { importDirectory } from "./import-directory.ts";
import { renderImportReport } from "./render.ts";
import { fixture, freshDb, grandDouai, person, sitesOf } from "./test-helpers.ts";

describe("import of the published extract files", () => {
  it("keeps every site of a multi-site person, in the territory only", async () => {
    const db = freshDb();
    const report = await importDirectory(db, [fixture("activite56")], grandDouai);
    expect(sitesOf(db, "LEFÈVRE").map((s) => s.commune)).toEqual(["Douai", "Sin-le-Noble"]);
    expect(person(db, "LEFÈVRE")).toMatchObject({ id_type: "rpps", identifier: RPPS.lefevre, national_id: `8${RPPS.lefevre}`, profession: "Médecin", first_name: "Camille" });
    expect(person(db, "MARTIN")).toBeUndefined();
    expect(person(db, "DUBOIS")).toBeUndefined();
    expect(report.files[0]).toMatchObject({ kind: "activite", columns: 56, rowsRead: 12, kept: 6, outOfTerritory: 2, abroad: 1, rejected: 3 });
  });

  it("falls back on the postcode and the commune name when the commune code is empty", async () => {
    const db = freshDb();
    await importDirectory(db, [fixture("activite56")], grandDouai);
    expect(sitesOf(db, "O'NEIL")).toEqual([expect.objectContaining({ commune_code: "59263", commune: "Gœulzin", commune_label: "GOEULZIN", postcode: "59169" })]);
    expect(person(db, "O'NEIL")).toMatchObject({ first_name: "Seán" });
  });

  it("keeps an ADELI-type identifier and apostrophes, hyphens and accents in names", async () => {
    const db = freshDb();
    await importDirectory(db, [fixture("activite56")], grandDouai);
    expect(person(db, "D'HONDT")).toMatchObject({ id_type: "adeli", identifier: ADELI_DHONDT, national_id: `0${ADELI_DHONDT}`, first_name: "Marie-Hélène" });
    expect(sitesOf(db, "D'HONDT")[0]).toMatchObject({ address: "45 Rue JEAN-BAPTISTE LEBAS", commune: "Waziers" });
  });

  it("leaves out a foreign address even when its postcode matches a commune of the territory", async () => {
    const db = freshDb();
    await importDirectory(db, [fixture("activite56")], grandDouai);
    expect(sitesOf(db, "VANDENBROUCKE").map((s) => s.structure_name)).toEqual(["PHARMACIE DE LA SCARPE"]);
  });

  it("rejects bad rows with their line number and reason, and keeps the good ones", async () => {
    const db = freshDb();
    const report = await importDirectory(db, [fixture("activite56")], grandDouai);
    expect(report.files[0]?.rejections).toEqual([
      { line: LINE.malformed, reason: "nombre de champs incorrect (56 attendus, 11 lus)" },
      { line: LINE.badRpps, reason: `numéro RPPS invalide (« ${BAD_RPPS} »)` },
      { line: LINE.missingName, reason: "nom d'exercice manquant" },
    ]);
    expect(report.people.active).toBe(5);
    const text = renderImportReport(report);
    expect(text).toContain(`ligne ${LINE.malformed} : nombre de champs incorrect`);
    expect(text).toContain("12 lignes lues : 6 retenues, 2 hors territoire, 1 à l'étranger (code pays), 3 rejetées");
  });

  it("reads the older 52-column header by column name", async () => {
    const db = freshDb();
    const report = await importDirectory(db, [fixture("activite52")], grandDouai);
    expect(report.files[0]).toMatchObject({ columns: 52, rowsRead: 2, kept: 1, outOfTerritory: 1, rejected: 0 });
    expect(sitesOf(db, "LEMAÎTRE")).toEqual([expect.objectContaining({ commune: "Dechy", phone: "0327000801" })]);
  });

  it("keeps the savoir-faire and MSSanté rows of the people kept only", async () => {
    const db = freshDb();
    const report = await importDirectory(db, [fixture("mssante"), fixture("savoirFaire"), fixture("activite56")], grandDouai);
    const skills = db.prepare("SELECT p.last_name, k.code, k.label FROM directory_skills k JOIN directory_people p ON p.id = k.person_id ORDER BY p.last_name, k.code").all();
    expect(skills).toEqual([
      { last_name: "DELATTRE", code: "CEX21", label: "Échographie obstétricale" },
      { last_name: "LEFÈVRE", code: "CAPA05", label: "Gérontologie" },
      { last_name: "LEFÈVRE", code: "SM54", label: "Médecine Générale" },
    ]);
    const boxes = db.prepare("SELECT address FROM directory_mssante ORDER BY address").all();
    expect(boxes).toEqual([{ address: "camille.lefevre@medecin.mssante.fr" }, { address: "sean.oneil@infirmier.mssante.fr" }]);
    const byKind = Object.fromEntries(report.files.map((f) => [f.kind, f]));
    expect(byKind["savoir-faire"]).toMatchObject({ rowsRead: 5, kept: 3, outOfTerritory: 1, rejected: 1 });
    expect(byKind.mssante).toMatchObject({ rowsRead: 5, kept: 2, outOfTerritory: 2, rejected: 1 });
    expect(byKind.mssante?.rejections[0]?.reason).toContain("adresse MSSanté invalide");
  });

  it("streams the files of the published zip and ignores the extract it does not use", async () => {
    const db = freshDb();
    const report = await importDirectory(db, [fixture("zip")], grandDouai);
    expect(report.files.map((f) => f.kind)).toEqual(["activite", "savoir-faire"]);
    expect(report.ignored).toEqual([expect.objectContaining({ name: expect.stringContaining("Dipl_AutExerc") })]);
    expect(report.people.active).toBe(5);
    expect(report.skills.active).toBe(3);
  });
});
