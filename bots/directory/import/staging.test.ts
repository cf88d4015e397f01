// Kept rows go to the staging tables in batches while the file is read, so an import's
// memory does not grow with the rows it keeps (issue 19: 2 M kept rows took 3.5 GB).
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ACTIVITE_HEADER_56, line, row } from "../fixtures/extract-format.ts";
import { importDirectory } from "./import-directory.ts";
import { classify, parseFile } from "./parse.ts";
import { STAGING_BATCH_ROWS, StagedRows } from "./staging.ts";
import { freshDb, grandDouai, rppsNumbers, writeActivite } from "./test-helpers.ts";

const KEPT_ROWS = 3 * STAGING_BATCH_ROWS;

function activiteLine(rpps: string, i: number): string {
  return row(ACTIVITE_HEADER_56, {
    "Type d'identifiant PP": "8", "Identifiant PP": rpps, "Identification nationale PP": `8${rpps}`,
    "Nom d'exercice": `NOM${i}`, "Prénom d'exercice": "Alex", "Code profession": "60", "Libellé profession": "Infirmier",
    "Identifiant technique de la structure": `S${i}`, "Code postal (coord. structure)": "59500",
    "Code commune (coord. structure)": "59178", "Libellé commune (coord. structure)": "DOUAI",
  });
}

describe("staging of the kept rows", () => {
  it("writes kept rows in batches while the source is still being read, not once it has ended", async () => {
    const db = freshDb();
    const batches: number[] = [];
    const staged = new StagedRows(db, (rows) => batches.push(rows));
    const rpps = rppsNumbers(KEPT_ROWS);
    let batchesWhenSourceEnded: number | undefined;
    async function* extract(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${line(ACTIVITE_HEADER_56)}\r\n`);
      for (let i = 0; i < KEPT_ROWS; i++) yield Buffer.from(`${activiteLine(rpps[i]!, i)}\r\n`);
      // Reached when the reader asks for more after the last row.
      batchesWhenSourceEnded = batches.length;
    }
    const file = await classify({ name: "PS_LibreAcces_Personne_activite_202603010000.txt", open: async () => Readable.from(extract()) });
    expect(file.kind).toBe("activite");
    const report = await parseFile({ ...file, kind: "activite" }, grandDouai, () => false, staged, {});
    expect(report.kept).toBe(KEPT_ROWS);
    // Each kept row stages a professional and a site; the stream reads a few rows ahead, so
    // the last batch may still be pending when the source ends, but every earlier one was written.
    expect(batchesWhenSourceEnded).toBeGreaterThanOrEqual((2 * KEPT_ROWS) / STAGING_BATCH_ROWS - 1);
    staged.flush();
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(2 * KEPT_ROWS);
    expect(db.prepare("SELECT count(*) FROM temp.import_people").pluck().get()).toBe(KEPT_ROWS);
    staged.drop();
  });

  it("imports through batches no larger than the batch size, and keeps every row", async () => {
    const db = freshDb();
    const rpps = rppsNumbers(KEPT_ROWS, 2);
    const file = writeActivite(rpps.map((n, i) => ({ rpps: n, lastName: `NOM${i}`, postcode: "59500", communeCode: "59178", commune: "DOUAI" })));
    const batches: number[] = [];
    const report = await importDirectory(db, [file], grandDouai, { onStagedBatch: (rows) => batches.push(rows) });
    expect(batches.length).toBeGreaterThan(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(STAGING_BATCH_ROWS);
    expect(report.people).toMatchObject({ added: KEPT_ROWS, active: KEPT_ROWS });
    expect(report.sites).toMatchObject({ added: KEPT_ROWS, active: KEPT_ROWS });
    // The staging tables are gone once the import is over.
    expect(db.prepare("SELECT count(*) FROM temp.sqlite_schema WHERE name LIKE 'import_%'").pluck().get()).toBe(0);
  });
});
