import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../../core/http/server.ts";
import { openDatabase } from "../../database.ts";
import { SqliteDirectory } from "../../directory/sqlite-directory.ts";
import { testCpts } from "../../directory/test-cpts.ts";
import type { UserId } from "../domain/ids.ts";
import { gardeRoutes } from "./garde-http.ts";
import { DirectoryGardePeople } from "./garde-people.ts";
import { GardeRota } from "./garde-rota.ts";
import { ANNE, COORD, insertMembers, MARC } from "../../../test/helpers/garde-members.ts";

const H = 3_600_000;
/** Tuesday 24 November 2026, 20:00 in Paris. */
const T = Date.UTC(2026, 10, 24, 19);
const TOKEN = "4f9c2e1b7a6d5c3e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9";

const servers: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(tokenFile = `${TOKEN}\n`) {
  const db = openDatabase(":memory:");
  let now = T - 24 * H;
  const clock = { now: () => now };
  insertMembers(db, clock);
  const rota = new GardeRota(db, clock);
  const logged: unknown[] = [];
  const routes = gardeRoutes({ rota, people: new DirectoryGardePeople(new SqliteDirectory(db, clock, testCpts().territory)), clock, apiToken: tokenFile, logger: { error: (obj, msg) => logged.push(obj, msg) } });
  const server = await startHttpServer("127.0.0.1", 0, { health: () => ({ ready: true, state: "SYNCING" }) }, new Registry(), routes);
  servers.push(server);
  const get = async (authorization?: string) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/garde/now`, { headers: authorization === undefined ? {} : { authorization } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };
  return { db, rota, get, logged, port: server.port, setNow: (t: number) => (now = t) };
}

describe("GET /garde/now", () => {
  it("answers 401 without the right bearer token, and never echoes or logs it", async () => {
    const { get, logged } = await setup();
    for (const authorization of [undefined, "", `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, "Bearer "]) {
      const response = await get(authorization);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: "unauthorized" });
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="garde"');
    }
    expect(logged).toEqual([]);
  });

  it("says nobody is on duty, with the fallback to the 116 117", async () => {
    const { get } = await setup();
    const { status, body, headers } = await get(`Bearer ${TOKEN}`);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({
      at: "2026-11-23T20:00:00+01:00",
      onDuty: [],
      next: null,
      forwardTo: "116117",
      fallback: { reason: "nobody-on-duty", number: "116117", emergency: "15", message: expect.stringContaining("116 117") },
    });
  });

  it("returns who is on duty with a phone to forward to, and the next shift", async () => {
    const { rota, get, setNow } = await setup();
    rota.add({ userId: ANNE as UserId, startsAt: T, endsAt: T + 12 * H }, COORD as UserId);
    rota.add({ userId: MARC as UserId, startsAt: T + 12 * H, endsAt: T + 24 * H }, COORD as UserId);
    setNow(T + H);
    const { status, body } = await get(`bearer  ${TOKEN}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      at: "2026-11-24T21:00:00+01:00",
      onDuty: [{ userId: ANNE, name: "Anne Lefèvre", profession: "Médecin — Médecine Générale", phone: "+33327000001", until: "2026-11-25T08:00:00+01:00" }],
      next: { userId: MARC, name: "Marc O'Neil", profession: "Infirmier", phone: null, from: "2026-11-25T08:00:00+01:00", until: "2026-11-25T20:00:00+01:00" },
      forwardTo: "+33327000001",
    });
  });

  it("lists overlapping shifts in order, and falls back when none of them has a phone", async () => {
    const { rota, get, setNow } = await setup();
    rota.add({ userId: MARC as UserId, startsAt: T, endsAt: T + 12 * H }, COORD as UserId);
    rota.add({ userId: "@remplacant:cpts.test" as UserId, startsAt: T + H, endsAt: T + 3 * H }, COORD as UserId);
    setNow(T + 2 * H);
    const { body } = await get(`Bearer ${TOKEN}`);
    expect(body["onDuty"]).toEqual([
      { userId: MARC, name: "Marc O'Neil", profession: "Infirmier", phone: null, until: "2026-11-25T08:00:00+01:00" },
      { userId: "@remplacant:cpts.test", name: "@remplacant:cpts.test", profession: null, phone: null, until: "2026-11-24T23:00:00+01:00" },
    ]);
    expect(body["fallback"]).toMatchObject({ reason: "no-phone", number: "116117" });
    expect(body["forwardTo"]).toBe("116117");
    rota.add({ userId: ANNE as UserId, startsAt: T + H, endsAt: T + 3 * H }, COORD as UserId);
    const withAnne = (await get(`Bearer ${TOKEN}`)).body;
    expect(withAnne["fallback"]).toBeUndefined();
    expect(withAnne["forwardTo"]).toBe("+33327000001");
  });

  it("still tells the phone line where to route the call when the rota cannot be read", async () => {
    const { db, get, logged } = await setup();
    db.close();
    const { status, body } = await get(`Bearer ${TOKEN}`);
    expect(status).toBe(500);
    expect(body).toEqual({ error: "internal", forwardTo: "116117", fallback: { reason: "unavailable", number: "116117", emergency: "15", message: expect.stringContaining("116 117") } });
    expect(logged[1]).toBe("garde endpoint failed");
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
  });

  it("leaves the other routes alone", async () => {
    const { port } = await setup();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/garde/later`)).status).toBe(404);
  });

  it("accepts each token of a two-line file while the token is rotated", async () => {
    const NEXT = "a".repeat(40);
    const { get } = await setup(`${TOKEN}\r\n\n${NEXT}\n`);
    expect((await get(`Bearer ${TOKEN}`)).status).toBe(200);
    expect((await get(`Bearer ${NEXT}`)).status).toBe(200);
    expect((await get(`Bearer ${TOKEN}${NEXT}`)).status).toBe(401);
  });

  it.each([["an empty file", " \n "], ["a token too short to be secret", "short-token"], ["a short second line", `${TOKEN}\nshort`]])("refuses to start with %s", (_, content) => {
    const db = openDatabase(":memory:");
    const clock = { now: () => T };
    const deps = { rota: new GardeRota(db, clock), people: { describe: () => ({ userId: "", name: "", profession: null, phone: null, member: false }) }, clock, logger: { error: () => {} } };
    expect(() => gardeRoutes({ ...deps, apiToken: content })).toThrow(/one token per line, each at least 32 characters/);
  });
});
