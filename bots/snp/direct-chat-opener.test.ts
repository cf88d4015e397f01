import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../core/store/database.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../directory/territory.ts";
import { type DirectChats, DirectChatOpener } from "./direct-chat-opener.ts";
import { type Candidate, userId } from "./domain/index.ts";
import { SNP_SCHEMA } from "./migrations.ts";
import { DirectChatWelcomes } from "./store/direct-chat-welcomes.ts";

const douai = loadTerritoryExample(GRAND_DOUAI_FILE).communes.find((c) => c.name === "Douai")!;
const clock = { now: () => Date.UTC(2026, 11, 7, 8, 0) };
const KEY = (user: string): string => `snp-direct-chat-welcome:${user}`;
const NOTHING = { welcomed: 0, invited: 0, alreadyOpen: 0, declined: 0, failed: 0 };

function member(name: string, extra: Partial<Candidate> = {}): Candidate {
  return { userId: userId(`@${name}:cpts.test`), profession: "infirmier", commune: douai, inPool: true, onDuty: false, dispo: true, recentLoad: 0, alreadyNotified: false, member: true, ...extra };
}

/** A homeserver as the opener sees it: DMs it opens (people invited), memberships, notices (deduplicated by key, as Synapse does by transaction id). */
class FakeChats implements DirectChats {
  readonly rooms = new Map<string, string>();
  readonly members = new Map<string, string>();
  readonly notices = new Map<string, { roomId: string; text: string }>();
  readonly failing = new Set<string>();
  /** Someone's DM the bot did not open: they wrote to it first. */
  readonly openedByThem = new Map<string, string>();
  opened = 0;

  directRoomIfOpen(user: string): string | undefined {
    return this.rooms.get(user) ?? this.openedByThem.get(user);
  }

  async directRoom(user: string): Promise<string> {
    if (this.failing.has(user)) throw new Error("M_FORBIDDEN: invite refused");
    let room = this.rooms.get(user);
    if (!room) {
      room = `!dm-${++this.opened}:cpts.test`;
      this.rooms.set(user, room);
      this.members.set(`${room} ${user}`, "invite");
    }
    return room;
  }

  async notice(roomId: string, reply: { text: string }, key?: string): Promise<string> {
    this.notices.set(key ?? String(this.notices.size), { roomId, text: reply.text });
    return `$${this.notices.size}`;
  }

  membership(roomId: string, user: string): string | undefined {
    return this.members.get(`${roomId} ${user}`);
  }

  /** The person answers the invitation ("join" or "leave"). */
  answer(user: string, membership: string): string {
    const room = this.rooms.get(user)!;
    this.members.set(`${room} ${user}`, membership);
    return room;
  }
}

function world(candidates: Candidate[], chats = new FakeChats(), file = join(mkdtempSync(join(tmpdir(), "snp-dm-")), "bots.db")) {
  const welcomes = new DirectChatWelcomes(openDatabase(file, [SNP_SCHEMA]), clock);
  const opener = new DirectChatOpener({ chats, welcomes, candidates: () => candidates, welcome: (u) => ({ text: `bienvenue ${u}` }), logger: pino({ level: "silent" }), sweepEveryMs: 60_000 });
  return { opener, chats, welcomes, file };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe("direct chats opened ahead of requests", () => {
  it("invites each pool member to a direct chat, nobody else, and welcomes them there when they join", async () => {
    const { opener, chats, welcomes } = world([member("ide"), member("kine", { profession: "masseur kinesitherapeute" }), member("outside", { inPool: false })]);
    expect(await opener.sweep()).toEqual({ ...NOTHING, invited: 2 });
    expect([...chats.rooms.keys()].sort()).toEqual(["@ide:cpts.test", "@kine:cpts.test"]);
    expect(chats.notices.size).toBe(0);
    const room = chats.answer("@ide:cpts.test", "join");
    opener.onMembership(room, "@ide:cpts.test", "join");
    await settle();
    expect(chats.notices.get(KEY("@ide:cpts.test"))).toEqual({ roomId: room, text: "bienvenue @ide:cpts.test" });
    expect(welcomes.statuses().get("@ide:cpts.test")).toBe("sent");
    expect(welcomes.statuses().get("@kine:cpts.test")).toBe("pending");
  });

  it("opens no second chat for someone still invited, and welcomes them once whatever notices their join", async () => {
    const { opener, chats } = world([member("ide")]);
    await opener.sweep();
    expect(await opener.sweep()).toEqual({ ...NOTHING, invited: 1 });
    expect(chats.opened).toBe(1);
    const room = chats.answer("@ide:cpts.test", "join");
    opener.onMembership(room, "@ide:cpts.test", "join");
    opener.onMembership(room, "@ide:cpts.test", "join");
    await settle();
    expect(await opener.sweep()).toEqual(NOTHING);
    expect(chats.notices.size).toBe(1);
  });

  it("welcomes after a restart someone who joined while the bot was stopped, and nobody twice", async () => {
    const first = world([member("ide"), member("sf")]);
    await first.opener.sweep();
    first.chats.answer("@sf:cpts.test", "join");
    first.opener.onMembership(first.chats.rooms.get("@sf:cpts.test")!, "@sf:cpts.test", "join");
    await settle();
    first.chats.answer("@ide:cpts.test", "join");
    const restarted = world([member("ide"), member("sf")], first.chats, first.file);
    expect(await restarted.opener.sweep()).toEqual({ ...NOTHING, welcomed: 1 });
    expect(await restarted.opener.sweep()).toEqual(NOTHING);
    expect(first.chats.notices.size).toBe(2);
    expect(first.chats.opened).toBe(2);
  });

  it("finishes opening a chat a crash interrupted, without opening a second one", async () => {
    const { opener, chats, welcomes } = world([member("ide")]);
    welcomes.markPending("@ide:cpts.test", null);
    chats.rooms.set("@ide:cpts.test", "!opened-before-the-crash:cpts.test");
    chats.members.set("!opened-before-the-crash:cpts.test @ide:cpts.test", "join");
    expect(await opener.sweep()).toEqual({ ...NOTHING, welcomed: 1 });
    expect(chats.notices.get(KEY("@ide:cpts.test"))?.roomId).toBe("!opened-before-the-crash:cpts.test");
  });

  it("never invites again someone who refused the invitation", async () => {
    const { opener, chats, welcomes } = world([member("ide")]);
    await opener.sweep();
    chats.answer("@ide:cpts.test", "leave");
    chats.rooms.delete("@ide:cpts.test");
    expect(await opener.sweep()).toEqual({ ...NOTHING, declined: 1 });
    expect(await opener.sweep()).toEqual(NOTHING);
    expect(chats.opened).toBe(1);
    expect(chats.notices.size).toBe(0);
    expect(welcomes.statuses().get("@ide:cpts.test")).toBe("declined");
  });

  it("announces nothing to someone who already shares a direct chat with the bot", async () => {
    const chats = new FakeChats();
    chats.openedByThem.set("@ide:cpts.test", "!theirs:cpts.test");
    const { opener, welcomes } = world([member("ide")], chats);
    expect(await opener.sweep()).toEqual({ ...NOTHING, alreadyOpen: 1 });
    expect(chats.notices.size).toBe(0);
    expect(welcomes.statuses().get("@ide:cpts.test")).toBe("existing");
  });

  it("goes on past a failure, and tries that person again at the next sweep", async () => {
    const chats = new FakeChats();
    chats.failing.add("@refuses:cpts.test");
    const { opener } = world([member("refuses"), member("ide")], chats);
    expect(await opener.sweep()).toEqual({ ...NOTHING, invited: 1, failed: 1 });
    chats.failing.clear();
    expect(await opener.sweep()).toEqual({ ...NOTHING, invited: 2 });
    expect(chats.rooms.has("@refuses:cpts.test")).toBe(true);
  });

  it("welcomes someone who joined without waiting for the rest of the sweep's openings", async () => {
    const chats = new FakeChats();
    const directRoom = chats.directRoom.bind(chats);
    chats.directRoom = async (user) => {
      await new Promise((r) => setTimeout(r, 20));
      return directRoom(user);
    };
    const { opener } = world(Array.from({ length: 10 }, (_, i) => member(`ide${i}`)), chats);
    let swept = false;
    const sweep = opener.sweep().then(() => (swept = true));
    while (!chats.rooms.has("@ide0:cpts.test")) await new Promise((r) => setTimeout(r, 5));
    opener.onMembership(chats.answer("@ide0:cpts.test", "join"), "@ide0:cpts.test", "join");
    await new Promise((r) => setTimeout(r, 10));
    expect(chats.notices.has(KEY("@ide0:cpts.test"))).toBe(true);
    expect(swept).toBe(false);
    await sweep;
  });

  it("opens at most two chats at a time", async () => {
    let open = 0;
    let most = 0;
    const chats = new FakeChats();
    const directRoom = chats.directRoom.bind(chats);
    chats.directRoom = async (user) => {
      most = Math.max(most, ++open);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      return directRoom(user);
    };
    const { opener } = world(Array.from({ length: 7 }, (_, i) => member(`ide${i}`)), chats);
    expect(await opener.sweep()).toMatchObject({ invited: 7 });
    expect(most).toBe(2);
  });
});
