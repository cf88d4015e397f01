import { describe, expect, it } from "vitest";
import { OrderedLanes, Semaphore } from "./concurrency.ts";

/** A promise settled from outside. */
function gate<T = void>(): { promise: Promise<T>; open(value: T): void; fail(error: Error): void } {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("Semaphore", () => {
  it("never lets more than its limit run, and serves waiters in the order they asked", async () => {
    const slots = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => gate());
    const tasks = gates.map((g, i) =>
      slots.use(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await g.promise;
        running--;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await Promise.all(tasks);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it("frees the slot of a task that failed, and a release called twice frees one slot only", async () => {
    const slots = new Semaphore(1);
    await expect(slots.use(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const release = await slots.acquire();
    release();
    release();
    const first = await slots.acquire();
    let second = false;
    void slots.acquire().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    first();
    await tick();
    expect(second).toBe(true);
  });

  it("refuses a limit below one", () => {
    expect(() => new Semaphore(0)).toThrow("positive limit");
  });
});

describe("OrderedLanes", () => {
  it("runs the steps of one lane in queue order even when an earlier one is slower, and lanes side by side", async () => {
    const lanes = new OrderedLanes();
    const order: string[] = [];
    const slowA1 = gate();
    const a1 = lanes.run("a", async () => {
      await slowA1.promise;
      order.push("a1");
    });
    const a2 = lanes.run("a", async () => void order.push("a2"));
    const b1 = lanes.run("b", async () => void order.push("b1"));
    await b1;
    expect(order).toEqual(["b1"]);
    slowA1.open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(["b1", "a1", "a2"]);
  });

  it("refuses the later steps of a lane whose step failed, not those of other lanes, until its failures are forgotten", async () => {
    const lanes = new OrderedLanes();
    const ran: string[] = [];
    const failing = gate();
    const a1 = lanes.run("a", async () => {
      await failing.promise;
      ran.push("a1");
    });
    const a2 = lanes.run("a", async () => void ran.push("a2"));
    const b1 = lanes.run("b", async () => void ran.push("b1"));
    failing.fail(new Error("homeserver unreachable"));
    await expect(a1).rejects.toThrow("homeserver unreachable");
    await expect(a2).rejects.toThrow("homeserver unreachable");
    await b1;
    expect(ran).toEqual(["b1"]);
    // Queued after the failed step had finished: refused all the same.
    await expect(lanes.run("a", async () => void ran.push("a3"))).rejects.toThrow("homeserver unreachable");
    lanes.forgetFailures();
    await lanes.run("a", async () => void ran.push("a4"));
    expect(ran).toEqual(["b1", "a4"]);
  });

  it("returns each step's own value", async () => {
    const lanes = new OrderedLanes();
    const values = await Promise.all([lanes.run("x", async () => 1), lanes.run("x", async () => "two")]);
    expect(values).toEqual([1, "two"]);
  });
});
