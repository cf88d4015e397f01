// The directory imports already run, as the coordinators' console lists them.
import type { Db } from "../core/store/database.ts";
import type { ImportReport } from "./import/report.ts";

export interface PastImport {
  readonly id: number;
  readonly startedAt: number;
  readonly files: readonly string[];
  readonly report: ImportReport;
}

export class ImportHistory {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** The latest imports that produced a report, newest first (among the last `limit` started). */
  latest(limit: number): PastImport[] {
    const rows = this.db.prepare("SELECT id, started_at, files, report FROM directory_imports ORDER BY id DESC LIMIT ?").all(limit) as {
      id: number;
      started_at: number;
      files: string;
      report: string;
    }[];
    return rows
      .filter((r) => r.report !== "{}")
      .map((r) => ({ id: r.id, startedAt: r.started_at, files: JSON.parse(r.files) as string[], report: JSON.parse(r.report) as ImportReport }));
  }

  /** The report of one import; undefined when there is no such import or it produced none. */
  report(id: number): ImportReport | undefined {
    const row = this.db.prepare("SELECT report FROM directory_imports WHERE id = ?").get(id) as { report: string } | undefined;
    return !row || row.report === "{}" ? undefined : (JSON.parse(row.report) as ImportReport);
  }
}
