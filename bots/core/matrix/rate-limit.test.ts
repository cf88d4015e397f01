import { describe, expect, it } from "vitest";
import { retryRateLimited } from "./rate-limit.ts";

const limited = (retryAfter?: number) => Object.assign(new Error("Too Many Requests"), { errcode: "M_LIMIT_EXCEEDED", httpStatus: 429, data: retryAfter === undefined ? {} : { retry_after_ms: retryAfter } });

describe("retryRateLimited", () => {
  it("waits as long as the homeserver asks, then succeeds", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await retryRateLimited(async () => {
      calls++;
      if (calls < 3) throw limited(250);
      return "ok";
    }, async (ms) => void waits.push(ms));
    expect(result).toBe("ok");
    expect(waits).toEqual([250, 250]);
  });

  it("does not retry other errors, and gives up after a few attempts", async () => {
    await expect(retryRateLimited(async () => Promise.reject(Object.assign(new Error("nope"), { errcode: "M_FORBIDDEN" })), async () => {})).rejects.toThrow("nope");
    let calls = 0;
    await expect(retryRateLimited(async () => {
      calls++;
      throw limited();
    }, async () => {})).rejects.toThrow("Too Many Requests");
    expect(calls).toBe(6);
  });
});
