import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthorisationPorts } from "./authorise.ts";
import { liveKitRoomFor } from "./livekit-names.ts";
import { rtcAuthApp } from "./rtc-auth-http.ts";

const lines: string[] = [];
const logger = pino({ level: "debug" }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
const admitted: string[] = [];
const ports: AuthorisationPorts = {
  openIdUser: async (t) => (t.access_token === "secret-openid-mg" ? "@mg:cpts.test" : undefined),
  roomMembership: async (roomId) => (roomId === "!case:cpts.test" ? "joined" : "room-unknown"),
  isVerifiedMember: async () => true,
  admit: async (room, identity) => (admitted.push(`${room} ${identity}`), "minted-jwt"),
};
let base = "";
let close: () => void;

beforeAll(async () => {
  const server = rtcAuthApp({ serverName: "cpts.test", liveKitUrl: "wss://sfu.cpts.test" }, ports, logger).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const token = (access_token: string) => ({ access_token, matrix_server_name: "cpts.test", token_type: "Bearer", expires_in: 3600 });

describe("the authorisation service's HTTP API (lk-jwt-service's)", () => {
  it("answers /sfu/get and /get_token with the SFU's URL and a token for the room's call", async () => {
    const legacy = await post("/sfu/get", { room: "!case:cpts.test", openid_token: token("secret-openid-mg"), device_id: "DEV" });
    expect(await legacy.json()).toEqual({ url: "wss://sfu.cpts.test", jwt: "minted-jwt" });
    const current = await post("/get_token", { room_id: "!case:cpts.test", slot_id: "m.call#ROOM", openid_token: token("secret-openid-mg"), member: { id: "m1", claimed_user_id: "@mg:cpts.test", claimed_device_id: "DEV" } });
    expect(current.status).toBe(200);
    expect(admitted[0]).toBe(`${liveKitRoomFor("!case:cpts.test")} @mg:cpts.test:DEV`);
    expect(current.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("refuses explicitly, and logs why without the token", async () => {
    const forged = await post("/sfu/get", { room: "!case:cpts.test", openid_token: token("secret-openid-forged"), device_id: "DEV" });
    expect(forged.status).toBe(401);
    const elsewhere = await post("/sfu/get", { room: "!dm:cpts.test", openid_token: token("secret-openid-mg"), device_id: "DEV" });
    expect(elsewhere.status).toBe(403);
    expect((await post("/sfu/get", { room: "!case:cpts.test" })).status).toBe(400);
    const log = lines.join("");
    expect(log).toContain("OpenID token unknown to the homeserver");
    expect(log).toContain("no bot knows this room");
    expect(log).not.toContain("secret-openid");
    expect(log).not.toContain("minted-jwt");
  });

  it("answers the browser's preflight", async () => {
    const res = await fetch(`${base}/sfu/get`, { method: "OPTIONS" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-methods")).toBe("POST");
  });
});
