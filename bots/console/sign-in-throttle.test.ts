import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixHomeserverAuth } from "./homeserver-auth.ts";
import { clientAddress, frenchWait, SignInThrottle } from "./sign-in-throttle.ts";

const MINUTE = 60_000;

function throttle(): { throttle: SignInThrottle; clock: { t: number; now(): number } } {
  const clock = { t: 0, now: () => clock.t };
  return { throttle: new SignInThrottle({ failuresPerAddress: 3, failuresPerAccount: 5, windowMs: 15 * MINUTE }, clock), clock };
}

describe("SignInThrottle", () => {
  it("stops an address after its failures, for as long as the oldest one still counts", () => {
    const { throttle: t, clock } = throttle();
    for (const account of ["@a:cpts.fr", "@b:cpts.fr", "@c:cpts.fr"]) {
      expect(t.check("10.0.0.7", account).allowed).toBe(true);
      t.failed("10.0.0.7", account);
      clock.t += MINUTE;
    }
    expect(t.check("10.0.0.7", "@d:cpts.fr")).toEqual({ allowed: false, retryAfterMs: 12 * MINUTE, by: "address" });
    // Another coordinator, from another browser, is not locked out.
    expect(t.check("10.0.0.8", "@d:cpts.fr").allowed).toBe(true);
    clock.t += 12 * MINUTE;
    expect(t.check("10.0.0.7", "@d:cpts.fr").allowed).toBe(true);
  });

  it("stops guessing one account from many addresses; a right password clears the count", () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) t.failed(`10.0.1.${i}`, "@Camille:cpts.fr");
    expect(t.check("10.0.2.1", "@camille:cpts.fr")).toMatchObject({ allowed: false, by: "account" });
    t.succeeded("10.0.2.1", "@camille:cpts.fr");
    expect(t.check("10.0.2.1", "@camille:cpts.fr").allowed).toBe(true);
  });
});

describe("clientAddress", () => {
  it("believes X-Forwarded-For only from a trusted proxy, and only its last entry", () => {
    expect(clientAddress("203.0.113.5", "198.51.100.1", ["172.18.0.9"])).toBe("203.0.113.5");
    expect(clientAddress("::ffff:172.18.0.9", "1.2.3.4, 198.51.100.1", ["172.18.0.9"])).toBe("198.51.100.1");
    expect(clientAddress("172.18.0.9", "not-an-address", ["172.18.0.9"])).toBe("172.18.0.9");
    expect(clientAddress("172.18.0.9", undefined, ["172.18.0.9"])).toBe("172.18.0.9");
  });
});

describe("frenchWait", () => {
  it("rounds up, in minutes or seconds", () => {
    expect(frenchWait(12 * MINUTE)).toBe("12 minutes");
    expect(frenchWait(61_000)).toBe("2 minutes");
    expect(frenchWait(60_000)).toBe("1 minute");
    expect(frenchWait(800)).toBe("1 seconde");
    expect(frenchWait(45_000)).toBe("45 secondes");
  });
});

describe("matrixHomeserverAuth", () => {
  let server: Server;
  let base: string;
  const forwarded: (string | undefined)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      forwarded.push(req.headers["x-forwarded-for"] as string | undefined);
      res.writeHead(429, { "content-type": "application/json" }).end(JSON.stringify({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 42_000 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("tells the homeserver the browser's address and reports its wait", async () => {
    const auth = matrixHomeserverAuth(() => base);
    expect(await auth.loginWithPassword("@a:cpts.fr", "x", "198.51.100.1")).toEqual({ ok: false, reason: "rate-limited", retryAfterMs: 42_000 });
    expect(forwarded).toEqual(["198.51.100.1"]);
  });
});
