import type { FileKind } from "./columns.ts";
import type { GuardVerdict } from "./guard.ts";

export interface Rejection {
  readonly line: number;
  readonly reason: string;
}

/** Details of rejected rows are capped so a broken national file cannot flood the report. */
export const MAX_REJECTIONS_LISTED = 1000;

export interface FileReport {
  readonly name: string;
  readonly kind: FileKind;
  readonly columns: number;
  rowsRead: number;
  kept: number;
  rejected: number;
  /** Activité: rows located outside the territory. SavoirFaire/MSSanté: rows of people not kept. */
  outOfTerritory: number;
  /** Activité: rows whose commune code or postcode is the territory's but whose country is not France. */
  abroad: number;
  /** Activité: rows whose commune code is one of the territory's, whatever became of them (the import guard's clue). */
  territoryCodeRows: number;
  readonly rejections: Rejection[];
}

export interface IgnoredFile {
  readonly name: string;
  readonly reason: string;
}

export interface ChangeCounts {
  added: number;
  updated: number;
  reactivated: number;
  deactivated: number;
  unchanged: number;
  /** Active rows after the import. */
  active: number;
}

export interface ImportReport {
  readonly importId: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly territory: { readonly name: string; readonly communes: readonly string[] };
  readonly files: readonly FileReport[];
  readonly ignored: readonly IgnoredFile[];
  readonly people: ChangeCounts;
  readonly sites: ChangeCounts;
  readonly skills: ChangeCounts;
  readonly mssante: ChangeCounts;
  /** The guard's warning the coordinator confirmed (--force), when there was one. */
  readonly confirmed?: GuardVerdict;
}

export function newFileReport(name: string, kind: FileKind, columns: number): FileReport {
  return { name, kind, columns, rowsRead: 0, kept: 0, rejected: 0, outOfTerritory: 0, abroad: 0, territoryCodeRows: 0, rejections: [] };
}

export function reject(report: FileReport, line: number, reason: string): void {
  report.rejected++;
  if (report.rejections.length < MAX_REJECTIONS_LISTED) report.rejections.push({ line, reason });
}

export function emptyCounts(): ChangeCounts {
  return { added: 0, updated: 0, reactivated: 0, deactivated: 0, unchanged: 0, active: 0 };
}
