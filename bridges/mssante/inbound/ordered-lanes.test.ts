import { describe, expect, it } from "vitest";
import { OrderedLanes } from "./ordered-lanes.ts";

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
