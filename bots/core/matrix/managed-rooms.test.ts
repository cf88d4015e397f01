import type { ICreateRoomOpts, MatrixClient } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { roomId } from "../matrix-ids.ts";
import { openDatabase } from "../store/database.ts";
import { RoomKeys } from "../store/room-keys.ts";
import { ManagedRooms } from "./managed-rooms.ts";

const MARKER = "org.cpts.test_room";
const BOT = "@bot:cpts.test";

/** A homeserver as the bot sees it: rooms it joined (with their marker), memberships, and what it asked for. */
function fakeHomeserver() {
  const created: ICreateRoomOpts[] = [];
  const invited: string[] = [];
  const kicked: string[] = [];
  const joinedRooms: { roomId: string; key: string }[] = [];
  const memberships = new Map<string, string>();
  const client = {
    getSafeUserId: () => BOT,
    getRooms: () =>
      joinedRooms.map(({ roomId, key }) => ({
        roomId,
        getMyMembership: () => "join",
        currentState: { getStateEvents: (type: string) => (type === MARKER ? { getContent: () => ({ key }) } : null) },
      })),
    createRoom: async (options: ICreateRoomOpts) => {
      created.push(options);
      return { room_id: `!created${created.length}:cpts.test` };
    },
    getStateEvent: async (roomId: string, _type: string, userId: string) => {
      const membership = memberships.get(`${roomId} ${userId}`);
      if (membership === undefined) throw Object.assign(new Error("not found"), { errcode: "M_NOT_FOUND" });
      return { membership };
    },
    invite: async (roomId: string, userId: string) => {
      invited.push(`${roomId} ${userId}`);
      memberships.set(`${roomId} ${userId}`, "invite");
    },
    kick: async (roomId: string, userId: string) => {
      kicked.push(`${roomId} ${userId}`);
      memberships.set(`${roomId} ${userId}`, "leave");
    },
  } as unknown as MatrixClient;
  return { client, created, invited, kicked, joinedRooms, memberships };
}

/** A database with one module's room table, shaped as every module's is (key, room_id, created_at). */
function withRoomTable() {
  const db = openDatabase(":memory:");
  db.exec("CREATE TABLE snp_rooms (key TEXT PRIMARY KEY, room_id TEXT NOT NULL, created_at INTEGER NOT NULL)");
  return db;
}
const recorded = () => new RoomKeys(withRoomTable(), "snp_rooms", { now: () => 1_000 });

describe("managed rooms", () => {
  it("create a room encrypted from its first event, private, without guests, history from the invitation, marked with its key", async () => {
    const hs = fakeHomeserver();
    const rooms = new ManagedRooms(hs.client, MARKER, recorded());
    expect(await rooms.ensure("regulation", () => ({ name: "Régulation", topic: "Demandes SNP" }))).toEqual({ roomId: "!created1:cpts.test", created: true });
    expect(hs.created).toEqual([
      {
        name: "Régulation",
        topic: "Demandes SNP",
        preset: "private_chat",
        visibility: "private",
        initial_state: [
          { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
          { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
          { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
          { type: MARKER, state_key: "", content: { key: "regulation" } },
        ],
      },
    ]);
  });

  it("give the recorded room again without asking how to create it", async () => {
    const hs = fakeHomeserver();
    const rooms = new ManagedRooms(hs.client, MARKER, recorded());
    await rooms.ensure("regulation", () => ({ name: "Régulation" }));
    const again = await rooms.ensure("regulation", () => {
      throw new Error("must not be described again");
    });
    expect(again).toEqual({ roomId: "!created1:cpts.test", created: false });
    expect(rooms.known("regulation")).toBe("!created1:cpts.test");
    expect(hs.created).toHaveLength(1);
  });

  it("find and record the marked room created just before a crash, instead of creating a second one", async () => {
    const hs = fakeHomeserver();
    hs.joinedRooms.push({ roomId: "!other:cpts.test", key: "case:SNP-AAAA" }, { roomId: "!before-crash:cpts.test", key: "case:SNP-7K3F" });
    const keys = recorded();
    const rooms = new ManagedRooms(hs.client, MARKER, keys);
    expect(await rooms.ensure("case:SNP-7K3F", () => ({ name: "Cas" }))).toEqual({ roomId: "!before-crash:cpts.test", created: false });
    expect(keys.roomOf("case:SNP-7K3F")).toBe("!before-crash:cpts.test");
    expect(hs.created).toEqual([]);
    // Without a table, the marker alone finds it.
    expect(await new ManagedRooms(hs.client, MARKER).ensure("case:SNP-7K3F", () => ({ name: "Cas" }))).toEqual({ roomId: "!before-crash:cpts.test", created: false });
  });

  it("take each module's specifics: invitations in the creation request (never the bot), power levels, room version, Space, shared history, more state", async () => {
    const hs = fakeHomeserver();
    const rooms = new ManagedRooms(hs.client, MARKER);
    const parent = { type: "m.space.parent", state_key: "!space:cpts.test", content: { via: ["cpts.test"], canonical: true } };
    await rooms.ensure("space", () => ({
      name: "CPTS",
      invite: [BOT, "@mg:cpts.test"],
      roomVersion: "12",
      powerLevels: { invite: 50 },
      space: true,
      historyVisibility: "shared",
      extraState: [parent],
    }));
    expect(hs.created[0]).toMatchObject({ invite: ["@mg:cpts.test"], room_version: "12", power_level_content_override: { invite: 50 }, creation_content: { type: "m.space" } });
    expect(hs.created[0]?.initial_state?.map((e) => e.type)).toEqual(["m.room.encryption", "m.room.guest_access", MARKER, "m.space.parent"]);
    expect(hs.created[0]).not.toHaveProperty("topic");
  });

  it("invite only who is neither joined nor invited, and remove only who is there", async () => {
    const hs = fakeHomeserver();
    const rooms = new ManagedRooms(hs.client, MARKER);
    const room = (await rooms.ensure("team", () => ({ name: "Équipe" }))).roomId;
    hs.memberships.set(`${room} @joined:cpts.test`, "join");
    hs.memberships.set(`${room} @invited:cpts.test`, "invite");
    hs.memberships.set(`${room} @left:cpts.test`, "leave");
    expect(await rooms.inviteAll(room, ["@joined:cpts.test", "@invited:cpts.test", "@left:cpts.test", "@new:cpts.test"])).toEqual(["@left:cpts.test", "@new:cpts.test"]);
    expect(await rooms.inviteAll(room, ["@new:cpts.test"])).toEqual([]);
    expect(await rooms.remove(room, "@joined:cpts.test", "départ")).toBe(true);
    expect(await rooms.remove(room, "@stranger:cpts.test", "départ")).toBe(false);
    expect(hs.kicked).toEqual([`${room} @joined:cpts.test`]);
  });
});

describe("room keys", () => {
  it("keep the first room recorded for a key, and list them all", () => {
    const keys = recorded();
    keys.record("regulation", roomId("!first:cpts.test"));
    keys.record("regulation", roomId("!second:cpts.test"));
    keys.record("case:SNP-7K3F", roomId("!case:cpts.test"));
    expect(keys.roomOf("regulation")).toBe("!first:cpts.test");
    expect(keys.roomOf("unknown")).toBeUndefined();
    expect(keys.roomIds().sort()).toEqual(["!case:cpts.test", "!first:cpts.test"]);
  });

  it("refuse a table name that is not one", () => {
    expect(() => new RoomKeys(openDatabase(":memory:"), "snp_rooms; DROP TABLE x", { now: () => 0 })).toThrow(/not a table name/);
  });
});
