import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../logger.ts";
import { openDatabase } from "../store/database.ts";
import { EffectsExecutor, MAX_EFFECT_ATTEMPTS, type EffectRunner } from "./effects-executor.ts";
import { Outbox } from "./outbox.ts";

interface Step {
  readonly name: string;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function setup(runner: EffectRunner<Step>, options: { concurrency?: number; retryDelayMs?: number } = {}) {
  const db = openDatabase(":memory:");
  db.exec(`CREATE TABLE test_effects (
    id INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL, effect TEXT NOT NULL,
    created_at INTEGER NOT NULL, done_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)`);
  const outbox = new Outbox<Step>(db, { now: () => 0 }, { table: "test_effects", subjectColumn: "subject" });
  const logs: { level: number; msg: string }[] = [];
  const logger = createLogger("test", "warn", { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
  const executor = new EffectsExecutor(outbox, runner, { name: "test", keyPrefix: "test-effect", logger, ...options });
  return { outbox, executor, logs };
}

describe("the effects executor", () => {
  it("runs the effects of one subject one after the other, oldest first, each with its own key", async () => {
    const seen: string[] = [];
    let running = 0;
    const { outbox, executor } = setup(async ({ subject, effect }, key) => {
      running++;
      expect(running).toBe(1);
      // The first effect is the slowest: a subject in order cannot let the second overtake it.
      await pause(effect.name === "1" ? 20 : 1);
      seen.push(`${subject}/${effect.name}/${key("@x")}`);
      running--;
    });
    outbox.enqueue("request-A", [{ name: "1" }, { name: "2" }, { name: "3" }]);
    await executor.drain();
    expect(seen).toEqual(["request-A/1/test-effect:1@x", "request-A/2/test-effect:2@x", "request-A/3/test-effect:3@x"]);
    expect(outbox.countPending()).toBe(0);
  });

  it("runs different subjects at the same time, never more than the pool allows", async () => {
    let running = 0;
    let most = 0;
    const order = new Map<string, string[]>();
    const { outbox, executor } = setup(
      async ({ subject, effect }) => {
        running++;
        most = Math.max(most, running);
        await pause(5);
        order.set(subject, [...(order.get(subject) ?? []), effect.name]);
        running--;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 12; i++) outbox.enqueue(`request-${i}`, [{ name: "first" }, { name: "second" }]);
    await executor.drain();
    expect(most).toBe(3);
    expect(outbox.countPending()).toBe(0);
    expect([...order.values()].every((names) => names.join() === "first,second")).toBe(true);
  });

  it("lets the subjects take turns: every subject's first effect comes before any subject's second", async () => {
    const seen: string[] = [];
    const { outbox, executor } = setup(
      async ({ subject, effect }) => {
        await pause(1);
        seen.push(`${subject}/${effect.name}`);
      },
      { concurrency: 1 },
    );
    for (const subject of ["A", "B", "C"]) outbox.enqueue(subject, [{ name: "tell-requester" }, { name: "mark-taken" }]);
    await executor.drain();
    expect(seen).toEqual(["A/tell-requester", "B/tell-requester", "C/tell-requester", "A/mark-taken", "B/mark-taken", "C/mark-taken"]);
  });

  it("holds back the later effects of a subject whose effect failed, lets the other subjects through, and retries on the next drain", async () => {
    const seen: string[] = [];
    let failOnce = true;
    const { outbox, executor, logs } = setup(async ({ subject, effect }) => {
      if (effect.name === "b1" && failOnce) {
        failOnce = false;
        throw new Error("homeserver down");
      }
      seen.push(`${subject}/${effect.name}`);
    });
    outbox.enqueue("case-B", [{ name: "b1" }, { name: "b2" }]);
    outbox.enqueue("referral-A", [{ name: "a1" }, { name: "a2" }]);
    await executor.drain();
    expect(seen).toEqual(["referral-A/a1", "referral-A/a2"]);
    expect(outbox.countPending()).toBe(2);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "test effect failed; retried later" }));
    await executor.drain();
    expect(seen.slice(2)).toEqual(["case-B/b1", "case-B/b2"]);
    expect(outbox.countPending()).toBe(0);
    executor.stop();
  });

  it("does not run a held subject's effects again in the same drain, even when new ones arrive", async () => {
    const seen: string[] = [];
    let attempts = 0;
    const { outbox, executor } = setup(async ({ effect }) => {
      if (effect.name === "broken") {
        attempts++;
        // Meanwhile the subject moves on, and another subject keeps the drain busy.
        if (attempts === 1) {
          outbox.enqueue("request-A", [{ name: "later" }]);
          outbox.enqueue("request-B", [{ name: "slow" }]);
          void executor.drain();
        }
        throw new Error("always");
      }
      if (effect.name === "slow") await pause(20);
      seen.push(effect.name);
    });
    outbox.enqueue("request-A", [{ name: "broken" }]);
    await executor.drain();
    expect(attempts).toBe(1);
    expect(seen).toEqual(["slow"]);
    executor.stop();
  });

  it("retries a failed effect by itself a little later", async () => {
    let calls = 0;
    const { outbox, executor } = setup(
      async () => {
        calls++;
        if (calls === 1) throw new Error("timeout");
      },
      { retryDelayMs: 20 },
    );
    outbox.enqueue("request-A", [{ name: "1" }]);
    await executor.drain();
    expect(outbox.countPending()).toBe(1);
    await vi.waitFor(() => expect(outbox.countPending()).toBe(0), { timeout: 2_000, interval: 10 });
    expect(calls).toBe(2);
    executor.stop();
  });

  it("sets an effect aside after repeated failures, and the subject's later effects then go on", async () => {
    const seen: string[] = [];
    const { outbox, executor, logs } = setup(async ({ effect }) => {
      if (effect.name === "broken") throw new Error("always");
      seen.push(effect.name);
    });
    outbox.enqueue("request-A", [{ name: "broken" }, { name: "after" }]);
    for (let i = 1; i < MAX_EFFECT_ATTEMPTS; i++) await executor.drain();
    expect(seen).toEqual([]);
    expect(outbox.countPending()).toBe(2);
    await executor.drain();
    expect(seen).toEqual(["after"]);
    expect(outbox.countPending()).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "test effect set aside after repeated failures" }));
    executor.stop();
  });

  it("lets concurrent drain calls share one run, which takes along what was written meanwhile", async () => {
    const runs = new Map<string, number>();
    let release = (): void => {};
    const gate = new Promise<void>((r) => (release = r));
    const { outbox, executor } = setup(async ({ effect }) => {
      runs.set(effect.name, (runs.get(effect.name) ?? 0) + 1);
      if (effect.name === "first") await gate;
    });
    outbox.enqueue("request-A", [{ name: "first" }]);
    const one = executor.drain();
    outbox.enqueue("request-A", [{ name: "second" }]);
    outbox.enqueue("request-B", [{ name: "other" }]);
    const two = executor.drain();
    expect(two).toBe(one);
    let settled = false;
    void one.then(() => (settled = true));
    await pause(10);
    expect(settled).toBe(false);
    expect(runs.get("other")).toBe(1);
    release();
    await Promise.all([one, two]);
    expect(Object.fromEntries(runs)).toEqual({ first: 1, second: 1, other: 1 });
    expect(outbox.countPending()).toBe(0);
  });

  it("runs the effects that effects make in the same drain", async () => {
    const seen: string[] = [];
    const { outbox, executor } = setup(async ({ subject, effect }) => {
      seen.push(`${subject}/${effect.name}`);
      if (effect.name === "accept") outbox.enqueue("case-NEW", [{ name: "create" }]);
    });
    outbox.enqueue("referral-A", [{ name: "accept" }]);
    await executor.drain();
    expect(seen).toEqual(["referral-A/accept", "case-NEW/create"]);
  });

  it("starts nothing more once stopped", async () => {
    const seen: string[] = [];
    const { outbox, executor } = setup(async ({ effect }) => {
      seen.push(effect.name);
      if (effect.name === "1") executor.stop();
    });
    outbox.enqueue("request-A", [{ name: "1" }, { name: "2" }]);
    await executor.drain();
    expect(seen).toEqual(["1"]);
    expect(outbox.countPending()).toBe(1);
  });
});
