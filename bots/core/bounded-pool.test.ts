import { describe, expect, it } from "vitest";
import { settleEachBounded } from "./bounded-pool.ts";

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe("settleEachBounded", () => {
  it("never runs more than the limit at once, and starts the next item as soon as a slot frees", async () => {
    let running = 0;
    let highest = 0;
    const finished: string[] = [];
    await settleEachBounded(["slow", "a", "b", "c", "d"], 2, async (item) => {
      running++;
      highest = Math.max(highest, running);
      for (let i = 0; i < (item === "slow" ? 20 : 1); i++) await tick();
      running--;
      finished.push(item);
    });
    expect(highest).toBe(2);
    expect(finished).toEqual(["a", "b", "c", "d", "slow"]);
  });

  it("tries every item when some fail and reports each outcome in the items' order", async () => {
    const outcomes = await settleEachBounded(["a", "boom", "c"], 2, async (item) => {
      await tick();
      if (item === "boom") throw new Error("boom");
      return item.toUpperCase();
    });
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : (o.reason as Error).message))).toEqual(["A", "boom", "C"]);
  });

  it("refuses a pool without a slot", async () => {
    await expect(settleEachBounded([1], 0, async () => 1)).rejects.toThrow("at least one slot");
  });
});
