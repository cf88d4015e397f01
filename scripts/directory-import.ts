/**
 * npm run directory:import -- <file or zip> [more files] [--communes <INSEE,…>] [--db <path>]
 * Imports Annuaire Santé extracts into the bots' directory and prints the report.
 * Exit codes: 0 imported, 1 a file was refused, 2 wrong arguments.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../bots/core/store/database.ts";
import { importDirectory } from "../bots/directory/import/import-directory.ts";
import { ImportRefused } from "../bots/directory/import/refused.ts";
import { renderImportReport } from "../bots/directory/import/render.ts";
import { GRAND_DOUAI_FILE, loadTerritory, restrictTerritory, type Territory } from "../bots/directory/territory.ts";

const USAGE = "Utilisation : npm run directory:import -- <fichier .txt ou .zip> [autres fichiers] [--communes 59178,59569] [--db data/bots/bots.db]";
const PROGRESS_EVERY = 200_000;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: ReturnType<typeof parseArgs<{ options: { communes: { type: "string" }; db: { type: "string" } }; allowPositionals: true }>>;
try {
  args = parseArgs({ options: { communes: { type: "string" }, db: { type: "string" } }, allowPositionals: true });
} catch (error) {
  fail(`Argument incorrect : ${(error as Error).message}\n${USAGE}`, 2);
}
if (args.positionals.length === 0) fail(`Aucun fichier à importer.\n${USAGE}`, 2);

let territory: Territory = loadTerritory(GRAND_DOUAI_FILE);
if (args.values.communes !== undefined) {
  const codes = args.values.communes.split(",").map((c) => c.trim()).filter((c) => c !== "");
  if (codes.length === 0) fail(`--communes attend des codes INSEE séparés par des virgules.\n${USAGE}`, 2);
  try {
    territory = restrictTerritory(territory, codes);
  } catch {
    const unknown = codes.filter((code) => !territory.communes.some((c) => c.code === code));
    fail(`Ces codes INSEE ne font pas partie du territoire ${territory.name} : ${unknown.join(", ")}`, 2);
  }
}

const db = openDatabase(args.values.db ?? "data/bots/bots.db");
try {
  const report = await importDirectory(db, args.positionals, territory, {
    progressEvery: PROGRESS_EVERY,
    onProgress: ({ file, rowsRead }) => process.stderr.write(`… ${file} : ${rowsRead.toLocaleString("fr-FR")} lignes lues\n`),
  });
  process.stdout.write(`${renderImportReport(report)}\n`);
} catch (error) {
  if (error instanceof ImportRefused) fail(error.humanMessage, 1);
  throw error;
} finally {
  db.close();
}
