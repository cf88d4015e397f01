import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { Scheduler, type JobHandler } from "./scheduler.ts";
import { openDatabase } from "./store/database.ts";
import { JobQueue, type Job } from "./store/job-queue.ts";

class FakeClock {
  time = 10_000;
  now(): number {
    return this.time;
  }
}

const logger = createLogger("test", "silent");
const options = { maxAttempts: 3, retryDelayMs: 1_000, cronExpression: "* * * * * *" };

function setup(handlers: Record<string, JobHandler>) {
  const clock = new FakeClock();
  const db = openDatabase(":memory:");
  const queue = new JobQueue(db, "snp", clock);
  const scheduler = new Scheduler(queue, new Map(Object.entries(handlers)), clock, logger, options);
  return { clock, db, queue, scheduler };
}

describe("Scheduler and JobQueue", () => {
  it("runs a job only once it is due, and only once", async () => {
    const ran: unknown[] = [];
    const { clock, queue, scheduler } = setup({ reminder: async (job: Job) => void ran.push(job.payload) });
    queue.schedule({ kind: "reminder", dueAt: 12_000, payload: { request: 7 } });
    expect(await scheduler.tick()).toBe(0);
    clock.time = 12_000;
    expect(await scheduler.tick()).toBe(1);
    expect(await scheduler.tick()).toBe(0);
    expect(ran).toEqual([{ request: 7 }]);
    expect(queue.countByStatus("done")).toBe(1);
  });

  it("moves a job with the same dedupe key instead of adding a second one, and cancels it", async () => {
    const { clock, queue, scheduler } = setup({ reminder: async () => {} });
    queue.schedule({ kind: "reminder", dueAt: 11_000, payload: 1, dedupeKey: "req-1" });
    queue.schedule({ kind: "reminder", dueAt: 15_000, payload: 2, dedupeKey: "req-1" });
    clock.time = 12_000;
    expect(await scheduler.tick()).toBe(0);
    expect(queue.countByStatus("pending")).toBe(1);
    expect(queue.cancel("req-1")).toBe(true);
    clock.time = 20_000;
    expect(await scheduler.tick()).toBe(0);
  });

  it("retries a failing job with backoff, then keeps it as failed", async () => {
    let calls = 0;
    const { clock, queue, scheduler } = setup({
      flaky: async () => {
        calls++;
        throw new Error("homeserver unreachable");
      },
    });
    queue.schedule({ kind: "flaky", dueAt: 10_000, payload: null });
    await scheduler.tick();
    clock.time += 999;
    expect(await scheduler.tick()).toBe(0);
    clock.time += 1;
    await scheduler.tick();
    clock.time += 2_000;
    await scheduler.tick();
    clock.time += 100_000;
    expect(await scheduler.tick()).toBe(0);
    expect(calls).toBe(3);
    expect(queue.countByStatus("failed")).toBe(1);
  });

  it("keeps a job of unknown kind as failed instead of dropping it", async () => {
    const { queue, scheduler } = setup({});
    queue.schedule({ kind: "mystery", dueAt: 0, payload: null });
    await scheduler.tick();
    expect(queue.countByStatus("failed")).toBe(1);
  });

  it("makes jobs left running by a dead process due again at start, as persisted in the database", async () => {
    const first = setup({});
    first.queue.schedule({ kind: "reminder", dueAt: 0, payload: "x" });
    expect(first.queue.claimDue(10)).toHaveLength(1);
    const ran: unknown[] = [];
    const restarted = new Scheduler(first.queue, new Map([["reminder", async (job: Job) => void ran.push(job.payload)]]), first.clock, logger, options);
    restarted.start();
    await restarted.tick();
    await restarted.stop();
    expect(ran).toEqual(["x"]);
  });
});
