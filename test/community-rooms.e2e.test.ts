// The CPTS Space and community rooms on the real Synapse: created on demand, encrypted,
// invitation-only, found again after a restart, nobody invited twice, removal effective.
import { EventType, type MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../bots/core/clock.ts";
import { openDatabase, type Db } from "../bots/database.ts";
import { COMMUNITY_ROOM_STATE, CommunityRooms } from "../bots/directory/community-rooms.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { markVerifiedMember } from "./helpers/members.ts";
import { createTestUser, type TestUser } from "./helpers/users.ts";

async function stateOf(client: MatrixClient, roomId: string, type: string, stateKey = ""): Promise<Record<string, unknown> | undefined> {
  try {
    return (await client.getStateEvent(roomId, type, stateKey)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe("community rooms", () => {
  let bot: ElementClient;
  let botUser: TestUser;
  let db: Db;
  let rooms: CommunityRooms;
  let gp: TestUser;
  let nurse: TestUser;
  const extraClients: ElementClient[] = [];

  beforeAll(async () => {
    // Named as the test Synapse's policy names bots (synapse-config/test.yaml).
    botUser = await createTestUser("bot-annuaire");
    bot = await createElementClient(botUser);
    db = openDatabase(":memory:");
    rooms = new CommunityRooms(bot.client, db, systemClock, "CPTS Grand Douai");
    gp = await createTestUser("mg");
    nurse = await createTestUser("ide");
    // Verified in the directory: the policy module lets the bot invite them.
    markVerifiedMember(gp.userId, nurse.userId);
  });

  afterAll(async () => {
    await Promise.all([bot, ...extraClients].map((c) => c.stop()));
  });

  it("invites a verified GP to the Space, the general room and the GPs' room, all encrypted and without guests", async () => {
    const { invitedTo } = await rooms.admit(gp.userId, "medecin", "medecine generale");
    expect(invitedTo).toHaveLength(3);
    const [spaceId, generalId, gpRoomId] = invitedTo as [string, string, string];
    expect(await stateOf(bot.client, spaceId, EventType.RoomCreate)).toMatchObject({ type: "m.space" });
    expect(await stateOf(bot.client, gpRoomId, EventType.RoomName)).toEqual({ name: "Médecins généralistes" });
    for (const roomId of invitedTo) {
      expect(await stateOf(bot.client, roomId, EventType.RoomEncryption)).toMatchObject({ algorithm: "m.megolm.v1.aes-sha2" });
      expect(await stateOf(bot.client, roomId, EventType.RoomJoinRules)).toEqual({ join_rule: "invite" });
      expect(await stateOf(bot.client, roomId, EventType.RoomGuestAccess)).toEqual({ guest_access: "forbidden" });
      expect(await stateOf(bot.client, roomId, EventType.RoomMember, gp.userId)).toMatchObject({ membership: "invite" });
    }
    for (const child of [generalId, gpRoomId]) expect(await stateOf(bot.client, spaceId, EventType.SpaceChild, child)).toBeDefined();
  });

  it("never invites twice, and reuses the Space and general room for another profession", async () => {
    expect((await rooms.admit(gp.userId, "medecin", "medecine generale")).invitedTo).toEqual([]);
    const nurseRooms = (await rooms.admit(nurse.userId, "infirmier")).invitedTo;
    expect(nurseRooms).toHaveLength(3);
    const keys = (db.prepare("SELECT key, room_id FROM community_rooms ORDER BY key").all() as { key: string; room_id: string }[]).map((r) => r.key);
    expect(keys).toEqual(["general", "profession:ide", "profession:mg", "space"]);
  });

  it("lets a member join, and only the bot can invite", async () => {
    const member = await createElementClient(gp);
    extraClients.push(member);
    const generalId = (db.prepare("SELECT room_id FROM community_rooms WHERE key = 'general'").get() as { room_id: string }).room_id;
    await member.joinRoom(generalId);
    // Verified, so that the refusal comes from the room's power levels, not from the policy module.
    const outsider = await createTestUser("outsider");
    markVerifiedMember(outsider.userId);
    await expect(member.client.invite(generalId, outsider.userId)).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
  });

  it("finds its rooms again after a crash between creating a room and recording it", async () => {
    const before = db.prepare("SELECT key, room_id FROM community_rooms ORDER BY key").all();
    db.prepare("DELETE FROM community_rooms WHERE key = 'profession:ide'").run();
    const again = new CommunityRooms(bot.client, db, systemClock, "CPTS Grand Douai");
    await again.admit(nurse.userId, "infirmier");
    expect(db.prepare("SELECT key, room_id FROM community_rooms ORDER BY key").all()).toEqual(before);
    const marked = bot.client.getRooms().filter((r) => r.currentState.getStateEvents(COMMUNITY_ROOM_STATE, "")?.getContent()["key"] === "profession:ide");
    expect(marked).toHaveLength(1);
  });

  it("removes a deactivated member from every community room", async () => {
    const left = await rooms.remove(gp.userId, "Membre désactivé par la coordination");
    expect(left).toHaveLength(3);
    for (const roomId of left) expect(await stateOf(bot.client, roomId, EventType.RoomMember, gp.userId)).toMatchObject({ membership: "leave" });
    expect(await rooms.remove(gp.userId, "again")).toEqual([]);
  });
});
