// Calls on the CPTS's own server: the real Synapse, the real LiveKit (built by
// scripts/install-livekit.sh), the MatrixRTC authorisation service (bots/calls) and two
// participants in headless Chromium with fake camera and microphone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { jwtDecode } from "./helpers/jwt.ts";
import { joinCall, launchCallPages, receivedTracks, type CallPages } from "./helpers/call-page.ts";
import { markVerifiedMember } from "./helpers/members.ts";
import { login, requestCallToken, requestOpenIdToken, roomWith, startCallWorld, type CallWorld, type MatrixSession } from "./helpers/call-world.ts";
import { createTestUser } from "./helpers/users.ts";
import { until } from "./helpers/until.ts";
import { liveKitRoomFor } from "../bots/calls/livekit-names.ts";

const synapse = inject("synapse");
let world: CallWorld;
let pages: CallPages;
let alice: MatrixSession;
let bob: MatrixSession;
let carol: MatrixSession;
let roomId: string;
let otherRoomId: string;

async function session(prefix: string): Promise<MatrixSession> {
  const user = await createTestUser(prefix);
  return login(synapse.baseUrl, user.localpart, user.password);
}

const sfuGet = async (who: MatrixSession, room: string) =>
  requestCallToken(world, { room, openid_token: await requestOpenIdToken(synapse.baseUrl, who), device_id: who.deviceId });

beforeAll(async () => {
  [world, pages] = await Promise.all([startCallWorld(synapse.baseUrl, synapse.serverName), launchCallPages()]);
  [alice, bob, carol] = await Promise.all([session("rcp-mg"), session("rcp-ide"), session("rcp-kine")]);
  for (const member of [alice, bob, carol]) world.verified.add(member.userId);
  // Verified for the test Synapse's policy module too: only verified members invite verified members.
  markVerifiedMember(alice.userId, bob.userId, carol.userId);
  roomId = await roomWith(synapse.baseUrl, alice, [bob]);
  otherRoomId = await roomWith(synapse.baseUrl, alice, [carol]);
  // Alice plays the care bot, which is in every case room.
  world.witness = alice;
});

afterAll(async () => {
  await pages?.close();
  await world?.stop();
});

describe("the MatrixRTC authorisation service", () => {
  it("gives a member of the room a short-lived token for that room only", async () => {
    const answer = await sfuGet(bob, roomId);
    expect(answer.status).toBe(200);
    expect(answer.body.url).toBe(world.liveKit.url);
    const claims = jwtDecode(answer.body.jwt!);
    expect(claims.sub).toBe(`${bob.userId}:${bob.deviceId}`);
    expect(claims.video).toEqual({ room: liveKitRoomFor(roomId), roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
    expect(claims.exp - claims.nbf).toBeLessThanOrEqual(600);
  });

  it("refuses a member of the CPTS who is not in the room, and a room no bot knows", async () => {
    const outsider = await sfuGet(carol, roomId);
    expect(outsider).toEqual({ status: 403, body: { errcode: "M_FORBIDDEN", error: "You are not a member of this room." } });
    const dm = await roomWith(synapse.baseUrl, bob, [carol]);
    expect((await sfuGet(bob, dm)).status).toBe(403);
  });

  it("refuses a room member who is not a verified CPTS member", async () => {
    world.verified.delete(bob.userId);
    try {
      expect(await sfuGet(bob, roomId)).toEqual({ status: 403, body: { errcode: "M_FORBIDDEN", error: "Calls are for verified members of the CPTS." } });
    } finally {
      world.verified.add(bob.userId);
    }
  });

  it("refuses a forged token, another server's token, and someone else's token", async () => {
    const forged = await requestCallToken(world, { room: roomId, openid_token: { access_token: "forged-token", matrix_server_name: synapse.serverName }, device_id: "X" });
    expect(forged).toEqual({ status: 401, body: { errcode: "M_UNAUTHORIZED", error: "The request could not be authorised." } });
    const bobs = await requestOpenIdToken(synapse.baseUrl, bob);
    const foreign = await requestCallToken(world, { room: roomId, openid_token: { ...bobs, matrix_server_name: "evil.example" }, device_id: "X" });
    expect(foreign.status).toBe(403);
    // Carol holding Bob's token is Bob for the homeserver, but /get_token says who claims it.
    const claimed = await fetch(`${world.authUrl}/get_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ room_id: roomId, slot_id: "m.call#ROOM", openid_token: bobs, member: { id: "m1", claimed_user_id: carol.userId, claimed_device_id: "X" } }),
    });
    expect(claimed.status).toBe(401);
    const malformed = await requestCallToken(world, { room: "not a room" });
    expect(malformed.status).toBe(400);
  });
});

describe("a call in headless Chromium", () => {
  it("two members join with the service's tokens and each receives the other's audio and video", async () => {
    const [a, b] = await Promise.all([sfuGet(alice, roomId), sfuGet(bob, roomId)]);
    const [pageA, pageB] = await Promise.all([pages.newParticipant(), pages.newParticipant()]);
    await Promise.all([joinCall(pageA, a.body.url!, a.body.jwt!), joinCall(pageB, b.body.url!, b.body.jwt!)]);
    const kinds = async (page: typeof pageA, from: MatrixSession) =>
      (await receivedTracks(page)).filter((t) => t.from === `${from.userId}:${from.deviceId}`).map((t) => t.kind).sort();
    await until("both receive audio and video", 60_000, async () => (await kinds(pageA, bob)).length === 2 && (await kinds(pageB, alice)).length === 2);
    expect(await kinds(pageA, bob)).toEqual(["audio", "video"]);
    expect(await kinds(pageB, alice)).toEqual(["audio", "video"]);
  });

  it("a non-member cannot join: no token for her, and a token of her own room does not open this one", async () => {
    expect((await sfuGet(carol, roomId)).status).toBe(403);
    const own = await sfuGet(carol, otherRoomId);
    expect(own.status).toBe(200);
    expect(jwtDecode(own.body.jwt!).video.room).not.toBe(liveKitRoomFor(roomId));
    // A token she made up herself (not signed with the CPTS's LiveKit secret) is refused by LiveKit.
    const page = await pages.newParticipant();
    const forged = forgeToken(liveKitRoomFor(roomId), carol.userId);
    await expect(joinCall(page, world.liveKit.url, forged)).rejects.toThrow();
  });
});

function forgeToken(room: string, identity: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ iss: "cpts-test", sub: identity, nbf: now, exp: now + 600, video: { room, roomJoin: true } })}.${Buffer.from("not-the-secret").toString("base64url")}`;
}
