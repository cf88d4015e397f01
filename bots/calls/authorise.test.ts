import { describe, expect, it } from "vitest";
import { authoriseCall, type AuthorisationPorts, type CallAccessRequest } from "./authorise.ts";

const SERVER = "cpts.test";
const ROOM = "!case:cpts.test";

/** The homeserver knows one live token per user; expired and forged ones are unknown to it. */
function ports(over: Partial<AuthorisationPorts> = {}): AuthorisationPorts & { admitted: string[] } {
  const admitted: string[] = [];
  return {
    admitted,
    openIdUser: async (token) => ({ "live-mg": "@mg:cpts.test", "live-ide": "@ide:cpts.test", "live-foreign": "@x:other.test" })[token.access_token],
    roomMembership: async (roomId, userId) => (roomId !== ROOM ? "room-unknown" : userId === "@mg:cpts.test" ? "joined" : "not-joined"),
    isVerifiedMember: async (userId) => userId === "@mg:cpts.test",
    admit: async (room, identity) => {
      admitted.push(`${room}/${identity}`);
      return "jwt";
    },
    ...over,
  };
}

const request = (accessToken: string, over: Partial<CallAccessRequest> = {}): CallAccessRequest => ({
  roomId: ROOM,
  liveKitRoom: "lk-room",
  openIdToken: { access_token: accessToken, matrix_server_name: SERVER },
  identityOf: (userId) => `${userId}:DEV`,
  ...over,
});

describe("authoriseCall", () => {
  it("admits a verified member who has joined the room, into that room's LiveKit room only", async () => {
    const p = ports();
    expect(await authoriseCall(request("live-mg"), SERVER, p)).toEqual({ kind: "admitted", userId: "@mg:cpts.test", identity: "@mg:cpts.test:DEV", jwt: "jwt" });
    expect(p.admitted).toEqual(["lk-room/@mg:cpts.test:DEV"]);
  });

  it.each([
    ["an expired or forged OpenID token", request("expired"), 401],
    ["a token that names another server", request("live-mg", { openIdToken: { access_token: "live-mg", matrix_server_name: "other.test" } }), 403],
    ["a token whose owner is on another server", request("live-foreign"), 401],
    ["a claimed user who is not the token's owner", request("live-mg", { claimedUserId: "@ide:cpts.test" }), 401],
    ["a CPTS member who is not in the room", request("live-ide"), 403],
    ["a room no bot is in", request("live-mg", { roomId: "!dm:cpts.test" }), 403],
  ])("refuses %s, and admits nobody", async (_what, req, status) => {
    const p = ports();
    const decision = await authoriseCall(req, SERVER, p);
    expect(decision).toMatchObject({ kind: "refused", status });
    expect(p.admitted).toEqual([]);
  });

  it("refuses a room member who is not (or no longer) a verified CPTS member", async () => {
    const p = ports({ isVerifiedMember: async () => false });
    expect(await authoriseCall(request("live-mg"), SERVER, p)).toMatchObject({ kind: "refused", status: 403, error: "Calls are for verified members of the CPTS." });
  });

  it("never asks the homeserver about a token meant for another server", async () => {
    const asked: string[] = [];
    await authoriseCall(request("live-mg", { openIdToken: { access_token: "t", matrix_server_name: "other.test" } }), SERVER, ports({ openIdUser: async (t) => (asked.push(t.access_token), undefined) }));
    expect(asked).toEqual([]);
  });
});
