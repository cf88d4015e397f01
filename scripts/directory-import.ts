/**
 * npm run directory:import -- <file or zip> [more files] [--config <bots.yaml>] [--communes <INSEE,…>] [--db <path>] [--force]
 * Imports Annuaire Santé extracts into the bots' directory, for the territory of the
 * configuration's `cpts` section, and prints the report.
 * Exit codes: 0 imported, 1 refused (a file, or the import guard: nothing changed), 2 wrong arguments or configuration.
 */
import { parseArgs } from "node:util";
import { ConfigError, databaseFileOf, loadBotsConfig, type BotsConfig } from "../bots/core/config.ts";
import { openDatabase } from "../bots/database.ts";
import { importDirectory } from "../bots/directory/import/import-directory.ts";
import { ImportNeedsConfirmation, ImportRefused } from "../bots/directory/import/refused.ts";
import { renderGuardRefusal, renderImportReport } from "../bots/directory/import/render.ts";
import { restrictTerritory, type Territory } from "../bots/directory/territory.ts";

const USAGE =
  "Utilisation : npm run directory:import -- <fichier .txt ou .zip> [autres fichiers] [--config config/bots.yaml] [--communes 59178,59569] [--db data/bots/bots.db] [--force]";
const PROGRESS_EVERY = 200_000;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const OPTIONS = { config: { type: "string" }, communes: { type: "string" }, db: { type: "string" }, force: { type: "boolean", default: false } } as const;
let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
try {
  args = parseArgs({ options: OPTIONS, allowPositionals: true });
} catch (error) {
  fail(`Argument incorrect : ${(error as Error).message}\n${USAGE}`, 2);
}
if (args.positionals.length === 0) fail(`Aucun fichier à importer.\n${USAGE}`, 2);

const configFile = args.values.config ?? process.env["CPTS_BOTS_CONFIG"] ?? "config/bots.yaml";
let config: BotsConfig;
try {
  config = loadBotsConfig(configFile);
} catch (error) {
  if (error instanceof ConfigError) fail(`Configuration ${configFile} : ${error.message}\n(le territoire de la CPTS vient de sa section cpts ; --config ou CPTS_BOTS_CONFIG pour un autre fichier)`, 2);
  throw error;
}

let territory: Territory = config.cpts.territory;
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

const db = openDatabase(args.values.db ?? databaseFileOf(config));
try {
  const report = await importDirectory(db, args.positionals, territory, {
    guard: config.cpts.importGuard,
    force: args.values.force,
    progressEvery: PROGRESS_EVERY,
    onProgress: ({ file, rowsRead }) => process.stderr.write(`… ${file} : ${rowsRead.toLocaleString("fr-FR")} lignes lues\n`),
  });
  process.stdout.write(`${renderImportReport(report)}\n`);
} catch (error) {
  if (error instanceof ImportRefused) fail(error.humanMessage, 1);
  if (error instanceof ImportNeedsConfirmation) fail(renderGuardRefusal(error, "relancez la même commande avec --force"), 1);
  throw error;
} finally {
  db.close();
}
