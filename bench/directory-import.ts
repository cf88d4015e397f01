// Import of a synthetic national-scale Personne_activite extract (56-column format).
// Usage: node bench/directory-import.ts [rows]   (default 2,000,000); prints JSON. The extract
// is imported twice: into an empty directory, then again over it (the guard's usual case).
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../bots/database.ts";
import { ACTIVITE_HEADER_56, line, withLuhnKey } from "../bots/directory/fixtures/extract-format.ts";
import { importDirectory } from "../bots/directory/import/import-directory.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../bots/directory/territory.ts";

const PROFESSIONS = [["10", "Médecin"], ["60", "Infirmier"], ["70", "Masseur-Kinésithérapeute"], ["21", "Pharmacien"], ["50", "Sage-Femme"]] as const;
const ELSEWHERE = [["75056", "75001", "Paris"], ["69123", "69001", "Lyon"], ["59350", "59000", "Lille"], ["13055", "13001", "Marseille"]] as const;

/** Writes the extract in a child process so its memory does not count in the import's peak. */
async function generate(file: string, rows: number): Promise<void> {
  const territory = loadTerritoryExample(GRAND_DOUAI_FILE).communes;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  out.write(`${line(ACTIVITE_HEADER_56)}\r\n`);
  const col = new Map(ACTIVITE_HEADER_56.map((name, i) => [name, i]));
  const fields = ACTIVITE_HEADER_56.map(() => "");
  const set = (name: string, value: string): void => void (fields[col.get(name) ?? -1] = value);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    const rpps = withLuhnKey(String(1_000_000_000 + Math.floor(i / 2)));
    const [professionCode, profession] = PROFESSIONS[i % PROFESSIONS.length]!;
    // About 0.5 % of rows in the territory, like a CPTS of a few hundred professionals in the national file.
    const here = i % 200 === 0 ? territory[i % territory.length]! : undefined;
    const [communeCode, postcode, commune] = here ? [here.code, here.postcodes[0]!, here.name] : ELSEWHERE[i % ELSEWHERE.length]!;
    set("Type d'identifiant PP", "8"); set("Identifiant PP", rpps); set("Identification nationale PP", `8${rpps}`);
    set("Nom d'exercice", `NOM${i % 9973}`); set("Prénom d'exercice", `Prénom${i % 499}`);
    set("Code profession", professionCode); set("Libellé profession", profession);
    set("Code mode exercice", "L"); set("Libellé mode exercice", "Libéral");
    set("Identifiant technique de la structure", `C${i}`); set("Raison sociale site", `CABINET ${i}`);
    set("Numéro Voie (coord. structure)", String(i % 120)); set("Libellé type de voie (coord. structure)", "Rue");
    set("Libellé Voie (coord. structure)", "DE LA RÉPUBLIQUE"); set("Code postal (coord. structure)", postcode);
    set("Code commune (coord. structure)", i % 7 === 0 ? "" : communeCode); set("Libellé commune (coord. structure)", commune);
    set("Téléphone (coord. structure)", `03${String(i).padStart(8, "0")}`);
    batch.push(line(fields));
    if (batch.length === 5000) {
      if (!out.write(`${batch.join("\r\n")}\r\n`)) await once(out, "drain");
      batch = [];
    }
  }
  out.end(batch.length > 0 ? `${batch.join("\r\n")}\r\n` : "");
  await once(out, "finish");
}

const [mode, target, count] = process.argv.slice(2);
if (mode === "--generate") {
  await generate(target!, Number(count));
} else {
  const rows = Number(mode ?? 2_000_000);
  const dir = await mkdtemp(join(tmpdir(), "cpts-directory-bench-"));
  try {
    const file = join(dir, "PS_LibreAcces_Personne_activite_209901010000.txt");
    const generated = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--generate", file, String(rows)], { stdio: "inherit" });
    if (generated.status !== 0) process.exit(generated.status ?? 1);
    const db = openDatabase(join(dir, "bots.db"));
    const started = performance.now();
    const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
    const report = await importDirectory(db, [file], territory);
    const seconds = (performance.now() - started) / 1000;
    const read = report.files[0]?.rowsRead ?? 0;
    const firstPeakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    // The same extract again over the filled directory: the import guard then weighs every
    // deactivation against the active professionals before the commit.
    const again = performance.now();
    const second = await importDirectory(db, [file], territory);
    const reimportSeconds = (performance.now() - again) / 1000;
    db.close();
    console.log(JSON.stringify({
      benchmark: "directory-import",
      rows: read,
      fileMB: Math.round((await stat(file)).size / 1e6),
      kept: report.files[0]?.kept,
      people: report.people.active,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(read / seconds),
      reimportSeconds: Math.round(reimportSeconds * 100) / 100,
      reimportChanges: second.people.added + second.people.updated + second.people.deactivated,
      peakRssMB: firstPeakRssMB,
      peakRssWithReimportMB: Math.round(process.resourceUsage().maxRSS / 1024),
      aims: { seconds: 60, peakRssMB: 500 },
    }, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
