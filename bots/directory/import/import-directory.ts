import type { Db } from "../../core/store/database.ts";
import type { Territory } from "../territory.ts";
import { applyStaged } from "./apply.ts";
import type { FileKind } from "./columns.ts";
import { classify, parseFile, type ClassifiedSource, type ParseOptions } from "./parse.ts";
import { DEFAULT_GUARD, judgeImport, type GuardSettings } from "./guard.ts";
import { ImportNeedsConfirmation, ImportRefused } from "./refused.ts";
import type { FileReport, IgnoredFile, ImportReport } from "./report.ts";
import { openSources } from "./sources.ts";
import { StagedRows } from "./staging.ts";
import { rebuildSearchIndex } from "../search/search-index.ts";

export type { Progress } from "./parse.ts";
export type ImportOptions = ParseOptions & {
  readonly now?: () => number;
  readonly guard?: GuardSettings;
  /** The coordinator confirmed an import the guard would stop. */
  readonly force?: boolean;
  /** Told how many kept rows each batch wrote to the staging tables (for tests). */
  readonly onStagedBatch?: (rows: number) => void;
};

const ORDER: readonly FileKind[] = ["activite", "savoir-faire", "mssante"];

function isKnown(file: ClassifiedSource): file is ClassifiedSource & { kind: FileKind } {
  return file.kind === "activite" || file.kind === "savoir-faire" || file.kind === "mssante";
}

/**
 * Imports Annuaire Santé extract files (plain or zipped, in any order) into the directory,
 * keeping the territory only. Files are read as streams and the territory's rows are written
 * in batches to staging tables (staging.ts), so memory does not grow with the rows kept; the
 * directory is then changed in one transaction, so a refused file (rejects with
 * ImportRefused) leaves the previous directory exactly as it was. The effect is
 * computed inside that transaction and judged before the commit: an import that would empty
 * or mostly empty the directory rejects with ImportNeedsConfirmation, rolled back, unless
 * `force` says the coordinator confirmed it.
 */
export async function importDirectory(db: Db, paths: readonly string[], territory: Territory, options: ImportOptions = {}): Promise<ImportReport> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  if (paths.length === 0) throw new ImportRefused("(aucun)", "aucun fichier n'a été donné");
  const opened = await openSources(paths);
  const files: FileReport[] = [];
  const ignored: IgnoredFile[] = [];
  const staged = new StagedRows(db, options.onStagedBatch);
  try {
    let known: (ClassifiedSource & { kind: FileKind })[];
    try {
      const classified: ClassifiedSource[] = [];
      for (const source of opened.sources) classified.push(await classify(source));
      for (const file of classified) {
        const inZip = file.source.name.includes(" › ");
        if (file.kind === "other-extract") ignored.push({ name: file.source.name, reason: "extraction de l'Annuaire Santé non utilisée par l'annuaire" });
        else if (file.kind === undefined && inZip) ignored.push({ name: file.source.name, reason: "fichier non reconnu dans l'archive" });
        else if (file.kind === undefined) throw new ImportRefused(file.source.name, "ce n'est pas une extraction de l'Annuaire Santé (en-tête non reconnu)");
      }
      known = classified.filter(isKnown).sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
      if (known.length === 0) throw new ImportRefused(paths.join(", "), "aucune extraction de l'Annuaire Santé n'y a été trouvée");
      // SavoirFaire and MSSanté rows are kept for the professionals this import keeps, or,
      // without an activité file, for the directory's active ones.
      const isActive = db.prepare("SELECT 1 FROM directory_people WHERE national_id = ? AND active = 1").pluck();
      const isKept = known.some((f) => f.kind === "activite")
        ? (nationalId: string): boolean => staged.hasPerson(nationalId)
        : (nationalId: string): boolean => isActive.get(nationalId) !== undefined;
      for (const file of known) {
        files.push(await parseFile(file, territory, isKept, staged, options));
        staged.flush();
      }
    } finally {
      opened.close();
    }
    const scope = {
      activite: known.some((f) => f.kind === "activite"),
      savoirFaire: known.some((f) => f.kind === "savoir-faire"),
      mssante: known.some((f) => f.kind === "mssante"),
    };
    const territoryOfReport = { name: territory.name, communes: territory.communes.map((c) => c.code) };
    return db.transaction((): ImportReport => {
      const activeBefore = (db.prepare("SELECT count(*) AS n FROM directory_people WHERE active = 1").get() as { n: number }).n;
      const importId = Number(
        db.prepare("INSERT INTO directory_imports (started_at, finished_at, files, report) VALUES (?, ?, ?, '{}')")
          .run(startedAt, startedAt, JSON.stringify(known.map((f) => f.source.name))).lastInsertRowid,
      );
      const applied = applyStaged(db, importId, scope);
      const verdict = judgeImport({ activite: files.filter((f) => f.kind === "activite"), activeBefore, deactivated: applied.people.deactivated }, options.guard ?? DEFAULT_GUARD);
      // Thrown inside the transaction: everything above is rolled back.
      if (verdict && !options.force) throw new ImportNeedsConfirmation(verdict, files, territoryOfReport);
      const report: ImportReport = {
        importId, startedAt, finishedAt: now(),
        territory: territoryOfReport,
        files, ignored, ...applied,
        ...(verdict ? { confirmed: verdict } : {}),
      };
      db.prepare("UPDATE directory_imports SET finished_at = ?, report = ? WHERE id = ?").run(report.finishedAt, JSON.stringify(report), importId);
      // Same transaction: searches never see the new directory with the old index.
      rebuildSearchIndex(db);
      return report;
    }).immediate();
  } finally {
    staged.drop();
  }
}
