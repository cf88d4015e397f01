// Directory imports started from the console: one at a time, run in the bot's process by the
// same importDirectory as `npm run directory:import`, followed through their progress. The
// uploaded files are deleted when the import ends, except when the import guard stopped it:
// they then wait for the coordinator's confirmation (or the next upload, or the bot's stop).
import { rm } from "node:fs/promises";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { Progress } from "../directory/import/import-directory.ts";
import { ImportNeedsConfirmation, ImportRefused } from "../directory/import/refused.ts";
import { renderGuardRefusal } from "../directory/import/render.ts";
import type { ImportReport } from "../directory/import/report.ts";

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
  | (JobBase & { readonly status: "refused" | "failed"; readonly finishedAt: number; readonly message: string })
  /** Stopped by the import guard: nothing changed; the same files go in if the coordinator confirms. */
  | (JobBase & { readonly status: "needs-confirmation"; readonly finishedAt: number; readonly message: string; readonly confirmedAs?: number });

export type RunImport = (paths: readonly string[], onProgress: (progress: Progress) => void, options: { readonly force: boolean }) => Promise<ImportReport>;

/** How the console's refusal tells the coordinator to go on. */
export const CONFIRM_IN_CONSOLE = "utilisez le bouton « Confirmer l'import » sous ce message";

const KEPT_JOBS = 10;

export class ImportJobs {
  private readonly jobs = new Map<number, ImportJob>();
  private readonly runImport: RunImport;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private nextId = 1;
  private running: Promise<void> | undefined;
  /** Uploads kept for a confirmation, by job id (one at most: a new upload discards it). */
  private readonly awaiting = new Map<number, UploadedExtract>();

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
    this.discardAwaiting();
    return { started: true, job: this.launch(upload, by, false) };
  }

  /**
   * The coordinator confirms an import the guard stopped: the same files are imported with
   * `force`. Undefined when there is nothing to confirm (already confirmed, discarded, or
   * another import running).
   */
  confirm(id: number, by: string): ImportJob | undefined {
    const job = this.jobs.get(id);
    const upload = this.awaiting.get(id);
    if (job?.status !== "needs-confirmation" || !upload || this.current()) return undefined;
    this.awaiting.delete(id);
    const confirmed = this.launch(upload, by, true);
    this.save({ ...job, confirmedAs: confirmed.id });
    this.logger.info({ job: id, confirmedAs: confirmed.id, by }, "console: directory import confirmed despite the guard");
    return confirmed;
  }

  /** At the bot's stop: waits for the running import, then removes the uploads left waiting for a confirmation. */
  async stop(): Promise<void> {
    await this.settled();
    this.discardAwaiting();
  }

  private launch(upload: UploadedExtract, by: string, force: boolean): ImportJob {
    const base: JobBase = { id: this.nextId++, by, files: upload.names, startedAt: this.clock.now() };
    this.save({ ...base, status: "running", progress: undefined });
    this.logger.info({ job: base.id, by, files: upload.names.length, force }, "console: directory import started");
    this.running = this.run(base, upload, force);
    return this.jobs.get(base.id)!;
  }

  private discardAwaiting(): void {
    for (const [id, upload] of this.awaiting) {
      this.awaiting.delete(id);
      void rm(upload.folder, { recursive: true, force: true });
    }
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

  private async run(base: JobBase, upload: UploadedExtract, force: boolean): Promise<void> {
    let keepUpload = false;
    try {
      const report = await this.runImport(upload.paths, (progress) => this.save({ ...base, status: "running", progress }), { force });
      this.save({ ...base, status: "done", finishedAt: this.clock.now(), report });
      this.logger.info({ job: base.id, importId: report.importId, people: report.people.active }, "console: directory import done");
    } catch (err) {
      if (err instanceof ImportNeedsConfirmation) {
        keepUpload = true;
        this.awaiting.set(base.id, upload);
        this.save({ ...base, status: "needs-confirmation", finishedAt: this.clock.now(), message: renderGuardRefusal(err, CONFIRM_IN_CONSOLE) });
        this.logger.info({ job: base.id, guard: err.verdict.kind }, "console: directory import stopped by the guard");
        return;
      }
      const refused = err instanceof ImportRefused;
      const message = refused ? err.humanMessage : "L'import a échoué de façon inattendue ; l'annuaire n'a pas été modifié. Le détail est dans le journal du bot.";
      this.save({ ...base, status: refused ? "refused" : "failed", finishedAt: this.clock.now(), message });
      if (refused) this.logger.info({ job: base.id, reason: err.reason }, "console: directory import refused");
      else this.logger.error({ job: base.id, err: (err as Error).message }, "console: directory import failed");
    } finally {
      if (!keepUpload) await rm(upload.folder, { recursive: true, force: true });
    }
  }

  private save(job: ImportJob): void {
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS || id === job.id || this.awaiting.has(id)) continue;
      this.jobs.delete(id);
    }
  }
}
