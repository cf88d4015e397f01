import type { GuardVerdict } from "./guard.ts";
import type { FileReport } from "./report.ts";

/**
 * A file that cannot be trusted as a whole: the import stops and nothing is written.
 * `message` is for the log; `humanMessage` is the polite French sentence for the coordinator.
 */
export class ImportRefused extends Error {
  readonly file: string;
  readonly reason: string;
  readonly humanMessage: string;

  constructor(file: string, reason: string) {
    super(`directory import refused: ${file}: ${reason}`);
    this.name = "ImportRefused";
    this.file = file;
    this.reason = reason;
    this.humanMessage = `Le fichier « ${file} » a été refusé : ${reason}. L'annuaire n'a pas été modifié.`;
  }
}

/**
 * An import the guard stopped (see guard.ts): nothing was written; the same files go in when
 * the coordinator confirms (--force, or the console's confirmation).
 */
export class ImportNeedsConfirmation extends Error {
  readonly verdict: GuardVerdict;
  readonly files: readonly FileReport[];
  readonly territory: { readonly name: string; readonly communes: readonly string[] };

  constructor(verdict: GuardVerdict, files: readonly FileReport[], territory: { readonly name: string; readonly communes: readonly string[] }) {
    super(`directory import stopped by the guard: ${verdict.kind}`);
    this.name = "ImportNeedsConfirmation";
    this.verdict = verdict;
    this.files = files;
    this.territory = territory;
  }
}
