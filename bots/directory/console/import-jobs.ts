// Directory imports started from the console: one at a time, run in the bot's process by the
// same importDirectory as `npm run directory:import`, followed through their progress. The
// uploaded files are deleted when the import ends, whatever its outcome.
import { rm } from "node:fs/promises";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { Progress } from "../import/import-directory.ts";
import { ImportRefused } from "../import/refused.ts";
import type { ImportReport } from "../import/report.ts";

export interface UploadedExtract {
  /** A folder of the uploaded files only, removed after the import. */
  readonly folder: string;
  readonly paths: readonly string[];
  readonly names: readonly string[];
}

interface JobBase {
  readonly id: number;
  readonly by: string;
  readonly files: readonly string[];
  readonly startedAt: number;
}

export type ImportJob =
  | (JobBase & { readonly status: "running"; readonly progress: Progress | undefined })
  | (JobBase & { readonly status: "done"; readonly finishedAt: number; readonly report: ImportReport })
  | (JobBase & { readonly status: "refused" | "failed"; readonly finishedAt: number; readonly message: string });

export type RunImport = (paths: readonly string[], onProgress: (progress: Progress) => void) => Promise<ImportReport>;

const KEPT_JOBS = 10;

export class ImportJobs {
  private readonly jobs = new Map<number, ImportJob>();
  private readonly runImport: RunImport;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private nextId = 1;
  private running: Promise<void> | undefined;

  constructor(runImport: RunImport, clock: Clock, logger: Logger) {
    this.runImport = runImport;
    this.clock = clock;
    this.logger = logger;
  }

  /** Starts the import in the background; the running one instead when there is one (the upload is then deleted). */
  start(upload: UploadedExtract, by: string): { started: boolean; job: ImportJob } {
    const current = this.current();
    if (current) {
      void rm(upload.folder, { recursive: true, force: true });
      return { started: false, job: current };
    }
    const base: JobBase = { id: this.nextId++, by, files: upload.names, startedAt: this.clock.now() };
    this.save({ ...base, status: "running", progress: undefined });
    this.logger.info({ job: base.id, by, files: upload.names.length }, "console: directory import started");
    this.running = this.run(base, upload);
    return { started: true, job: this.jobs.get(base.id)! };
  }

  get(id: number): ImportJob | undefined {
    return this.jobs.get(id);
  }

  current(): ImportJob | undefined {
    return [...this.jobs.values()].find((job) => job.status === "running");
  }

  /** Resolves when the running import (if any) has ended: for the bot's stop, and tests. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async run(base: JobBase, upload: UploadedExtract): Promise<void> {
    try {
      const report = await this.runImport(upload.paths, (progress) => this.save({ ...base, status: "running", progress }));
      this.save({ ...base, status: "done", finishedAt: this.clock.now(), report });
      this.logger.info({ job: base.id, importId: report.importId, people: report.people.active }, "console: directory import done");
    } catch (err) {
      const refused = err instanceof ImportRefused;
      const message = refused ? err.humanMessage : "L'import a échoué de façon inattendue ; l'annuaire n'a pas été modifié. Le détail est dans le journal du bot.";
      this.save({ ...base, status: refused ? "refused" : "failed", finishedAt: this.clock.now(), message });
      if (refused) this.logger.info({ job: base.id, reason: err.reason }, "console: directory import refused");
      else this.logger.error({ job: base.id, err: (err as Error).message }, "console: directory import failed");
    } finally {
      await rm(upload.folder, { recursive: true, force: true });
    }
  }

  private save(job: ImportJob): void {
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) if (this.jobs.size > KEPT_JOBS && id !== job.id) this.jobs.delete(id);
  }
}
