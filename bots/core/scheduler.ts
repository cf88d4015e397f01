import cron, { type ScheduledTask } from "node-cron";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { Job, JobQueue } from "./store/job-queue.ts";

export type JobHandler = (job: Job) => Promise<void>;

export interface SchedulerOptions {
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  /** node-cron expression with seconds: how often the queue is read. */
  readonly cronExpression: string;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { maxAttempts: 5, retryDelayMs: 30_000, cronExpression: "*/5 * * * * *" };

/** Runs what the job queue says is due; the cron tick only decides how often to look. */
export class Scheduler {
  private readonly queue: JobQueue;
  private readonly handlers: ReadonlyMap<string, JobHandler>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly options: SchedulerOptions;
  private task: ScheduledTask | undefined;
  private ticking = false;

  constructor(queue: JobQueue, handlers: ReadonlyMap<string, JobHandler>, clock: Clock, logger: Logger, options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS) {
    this.queue = queue;
    this.handlers = handlers;
    this.clock = clock;
    this.logger = logger;
    this.options = options;
  }

  start(): void {
    const recovered = this.queue.recoverInterrupted();
    if (recovered > 0) this.logger.warn({ recovered }, "jobs interrupted by a previous stop are due again");
    this.task = cron.schedule(this.options.cronExpression, () => void this.tick());
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.task = undefined;
  }

  /** Runs every due job once; returns how many ran. Overlapping ticks are skipped. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const jobs = this.queue.claimDue(100);
      for (const job of jobs) await this.run(job);
      return jobs.length;
    } finally {
      this.ticking = false;
    }
  }

  private async run(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      this.logger.error({ jobId: job.id, kind: job.kind }, "no handler for job kind; kept as failed");
      this.queue.markFailed(job.id, `no handler for kind ${job.kind}`, null);
      return;
    }
    try {
      await handler(job);
      this.queue.markDone(job.id);
    } catch (err) {
      const giveUp = job.attempts >= this.options.maxAttempts;
      const retryAt = giveUp ? null : this.clock.now() + this.options.retryDelayMs * 2 ** (job.attempts - 1);
      this.logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempts, giveUp, err: (err as Error).message }, "job failed");
      this.queue.markFailed(job.id, (err as Error).message, retryAt);
    }
  }
}
