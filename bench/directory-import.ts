// Import of a synthetic national-scale Personne_activite extract (56-column format), in two
// scenarios, each measured in its own process (its own peak memory):
//   territory — about 0.5 % of the rows in the territory, like a CPTS in the national file;
//   all-kept  — every row kept (a wide territory, e.g. a region kept for referrals): memory
//               must not grow with the rows kept (issue 19).
// Usage: node bench/directory-import.ts [rows] [territory|all-kept]   (default 2,000,000 rows,
// both scenarios); prints JSON. Each extract
// is imported twice: into an empty directory, then again over it (the guard's usual case).
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../bots/database.ts";
import { ACTIVITE_HEADER_56, line, withLuhnKey } from "../bots/directory/fixtures/extract-format.ts";
import { importDirectory } from "../bots/directory/import/import-directory.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../bots/directory/territory.ts";

const PROFESSIONS = [["10", "Médecin"], ["60", "Infirmier"], ["70", "Masseur-Kinésithérapeute"], ["21", "Pharmacien"], ["50", "Sage-Femme"]] as const;
const ELSEWHERE = [["75056", "75001", "Paris"], ["69123", "69001", "Lyon"], ["59350", "59000", "Lille"], ["13055", "13001", "Marseille"]] as const;

type Scenario = "territory" | "all-kept";
const AIMS: Record<Scenario, { seconds: number; peakRssMB: number }> = {
  territory: { seconds: 60, peakRssMB: 500 },
  "all-kept": { seconds: 90, peakRssMB: 500 },
};

/** Writes the extract (run in a child process so its memory does not count in the import's peak). */
async function generate(file: string, rows: number, scenario: Scenario): Promise<void> {
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
    const here = scenario === "all-kept" || i % 200 === 0 ? territory[i % territory.length]! : undefined;
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

/** Imports the extract twice in this process and reports time and peak memory. */
async function measure(file: string, scenario: Scenario): Promise<object> {
  const db = openDatabase(join(dirname(file), `${scenario}.db`));
  const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await importDirectory(db, [file], territory);
  const seconds = (performance.now() - started) / 1000;
  // On a shared machine the wall time depends on the load; the CPU time much less.
  const cpu = process.cpuUsage(cpuBefore);
  const read = report.files[0]?.rowsRead ?? 0;
  const firstPeakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  // The same extract again over the filled directory: the import guard then weighs every
  // deactivation against the active professionals before the commit.
  const again = performance.now();
  const second = await importDirectory(db, [file], territory);
  const reimportSeconds = (performance.now() - again) / 1000;
  db.close();
  return {
    scenario,
    rows: read,
    fileMB: Math.round((await stat(file)).size / 1e6),
    kept: report.files[0]?.kept,
    people: report.people.active,
    sites: report.sites.active,
    seconds: Math.round(seconds * 100) / 100,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    rowsPerSecond: Math.round(read / seconds),
    peakRssMB: firstPeakRssMB,
    reimportSeconds: Math.round(reimportSeconds * 100) / 100,
    reimportChanges: second.people.added + second.people.updated + second.people.deactivated,
    peakRssWithReimportMB: Math.round(process.resourceUsage().maxRSS / 1024),
    aims: AIMS[scenario],
  };
}

const [mode, target, arg] = process.argv.slice(2);
if (mode === "--generate") {
  const [rows, scenario] = arg!.split(":");
  await generate(target!, Number(rows), scenario as Scenario);
} else if (mode === "--measure") {
  console.log(JSON.stringify(await measure(target!, arg as Scenario)));
} else {
  const rows = Number(mode ?? 2_000_000);
  const only = target as Scenario | undefined;
  if (only !== undefined && !(only in AIMS)) throw new Error(`unknown scenario ${only}: territory or all-kept`);
  const dir = await mkdtemp(join(tmpdir(), "cpts-directory-bench-"));
  const self = fileURLToPath(import.meta.url);
  try {
    const results: object[] = [];
    for (const scenario of only ? [only] : (["territory", "all-kept"] as const)) {
      const file = join(dir, scenario, "PS_LibreAcces_Personne_activite_209901010000.txt");
      await mkdir(dirname(file));
      const generated = spawnSync(process.execPath, [self, "--generate", file, `${rows}:${scenario}`], { stdio: "inherit" });
      if (generated.status !== 0) process.exit(generated.status ?? 1);
      const measured = spawnSync(process.execPath, [self, "--measure", file, scenario], { stdio: ["inherit", "pipe", "inherit"], encoding: "utf8" });
      if (measured.status !== 0) process.exit(measured.status ?? 1);
      results.push(JSON.parse(measured.stdout));
      await rm(dirname(file), { recursive: true, force: true });
    }
    console.log(JSON.stringify({ benchmark: "directory-import", results }, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
