import type { Clock } from "../clock.ts";
import type { Db } from "./database.ts";

export interface Job {
  readonly id: number;
  readonly kind: string;
  readonly dueAt: number;
  readonly payload: unknown;
  readonly attempts: number;
}

export interface NewJob {
  readonly kind: string;
  readonly dueAt: number;
  readonly payload: unknown;
  /** At most one pending job per key: scheduling the same key again moves its due time. */
  readonly dedupeKey?: string;
}

interface JobRow { id: number; kind: string; due_at: number; payload: string; attempts: number }

/** Deadlines and reminders live here, never only in memory, so a restart keeps them. */
export class JobQueue {
  private readonly db: Db;
  private readonly botId: string;
  private readonly clock: Clock;

  constructor(db: Db, botId: string, clock: Clock) {
    this.db = db;
    this.botId = botId;
    this.clock = clock;
  }

  schedule(job: NewJob): void {
    this.db
      .prepare(
        `INSERT INTO scheduled_jobs (bot_id, kind, due_at, payload, status, dedupe_key, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)
         ON CONFLICT (bot_id, dedupe_key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload,
           status = 'pending', attempts = 0, last_error = NULL, updated_at = excluded.updated_at`,
      )
      .run(this.botId, job.kind, job.dueAt, JSON.stringify(job.payload), job.dedupeKey ?? null, this.clock.now());
  }

  cancel(dedupeKey: string): boolean {
    const result = this.db
      .prepare("DELETE FROM scheduled_jobs WHERE bot_id = ? AND dedupe_key = ? AND status IN ('pending', 'failed')")
      .run(this.botId, dedupeKey);
    return result.changes > 0;
  }

  /** Atomically moves the due jobs to `running`, so two ticks never run one job twice. */
  claimDue(limit: number): Job[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare("SELECT id, kind, due_at, payload, attempts FROM scheduled_jobs WHERE bot_id = ? AND status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?")
        .all(this.botId, this.clock.now(), limit) as JobRow[];
      const markRunning = this.db.prepare("UPDATE scheduled_jobs SET status = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?");
      for (const row of rows) markRunning.run(this.clock.now(), row.id);
      return rows.map((row) => ({ id: row.id, kind: row.kind, dueAt: row.due_at, payload: JSON.parse(row.payload) as unknown, attempts: row.attempts + 1 }));
    }).immediate();
  }

  markDone(id: number): void {
    this.db.prepare("UPDATE scheduled_jobs SET status = 'done', last_error = NULL, updated_at = ? WHERE id = ?").run(this.clock.now(), id);
  }

  /** `retryAt` null: give up (the job stays visible as failed, never silently dropped). */
  markFailed(id: number, error: string, retryAt: number | null): void {
    this.db
      .prepare("UPDATE scheduled_jobs SET status = ?, due_at = COALESCE(?, due_at), last_error = ?, updated_at = ? WHERE id = ?")
      .run(retryAt === null ? "failed" : "pending", retryAt, error, this.clock.now(), id);
  }

  /** Jobs left `running` by a process that died are due again (handlers are idempotent). */
  recoverInterrupted(): number {
    return this.db.prepare("UPDATE scheduled_jobs SET status = 'pending', updated_at = ? WHERE bot_id = ? AND status = 'running'").run(this.clock.now(), this.botId).changes;
  }

  countByStatus(status: "pending" | "running" | "done" | "failed"): number {
    const row = this.db.prepare("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE bot_id = ? AND status = ?").get(this.botId, status) as { n: number };
    return row.n;
  }
}
