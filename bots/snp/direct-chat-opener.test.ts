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

function member(name: string, extra: Partial<Candidate> = {}): Candidate {
  return { userId: userId(`@${name}:cpts.test`), profession: "infirmier", commune: douai, inPool: true, onDuty: false, dispo: true, recentLoad: 0, alreadyNotified: false, member: true, ...extra };
}

/** A homeserver as the opener sees it: DMs it opens, notices it sends (deduplicated by key, as Synapse does by transaction id). */
class FakeChats implements DirectChats {
  readonly rooms = new Map<string, string>();
  readonly notices = new Map<string, { roomId: string; text: string }>();
  readonly failing = new Set<string>();
  /** Someone's DM the bot did not open: they wrote to it first. */
  readonly openedByThem = new Map<string, string>();

  directRoomIfOpen(user: string): string | undefined {
    return this.rooms.get(user) ?? this.openedByThem.get(user);
  }

  async directRoom(user: string): Promise<string> {
    if (this.failing.has(user)) throw new Error("M_FORBIDDEN: invite refused");
    const room = this.rooms.get(user) ?? `!dm-${this.rooms.size}:cpts.test`;
    this.rooms.set(user, room);
    return room;
  }

  async notice(roomId: string, reply: { text: string }, key?: string): Promise<string> {
    this.notices.set(key ?? String(this.notices.size), { roomId, text: reply.text });
    return `$${key}`;
  }
}

function world(candidates: Candidate[], chats = new FakeChats(), file = join(mkdtempSync(join(tmpdir(), "snp-dm-")), "bots.db")) {
  const welcomes = new DirectChatWelcomes(openDatabase(file, [SNP_SCHEMA]), clock);
  const opener = new DirectChatOpener({ chats, welcomes, candidates: () => candidates, welcome: (u) => ({ text: `bienvenue ${u}` }), logger: pino({ level: "silent" }), sweepEveryMs: 60_000 });
  return { opener, chats, welcomes, file };
}

describe("direct chats opened ahead of requests", () => {
  it("opens a chat with each pool member and sends one welcome in it; nobody else", async () => {
    const { opener, chats, welcomes } = world([member("ide"), member("kine", { profession: "masseur kinesitherapeute" }), member("outside", { inPool: false })]);
    expect(await opener.sweep()).toEqual({ welcomed: 2, alreadyOpen: 0, failed: 0 });
    expect([...chats.rooms.keys()].sort()).toEqual(["@ide:cpts.test", "@kine:cpts.test"]);
    expect(chats.notices.get("snp-direct-chat-welcome:@ide:cpts.test")).toEqual({ roomId: chats.rooms.get("@ide:cpts.test"), text: "bienvenue @ide:cpts.test" });
    expect(welcomes.statuses().get("@kine:cpts.test")).toBe("sent");
  });

  it("sends nothing the second time, nor after a restart (same database)", async () => {
    const first = world([member("ide")]);
    await first.opener.sweep();
    expect(await first.opener.sweep()).toEqual({ welcomed: 0, alreadyOpen: 0, failed: 0 });
    const restarted = world([member("ide")], new FakeChats(), first.file);
    expect(await restarted.opener.sweep()).toEqual({ welcomed: 0, alreadyOpen: 0, failed: 0 });
    expect(restarted.chats.notices.size).toBe(0);
  });

  it("finishes a welcome a crash interrupted, in the chat already opened, under the same key", async () => {
    const { opener, chats, welcomes } = world([member("ide")]);
    welcomes.markPending("@ide:cpts.test");
    chats.rooms.set("@ide:cpts.test", "!opened-before-the-crash:cpts.test");
    expect(await opener.sweep()).toMatchObject({ welcomed: 1 });
    expect(chats.notices.get("snp-direct-chat-welcome:@ide:cpts.test")?.roomId).toBe("!opened-before-the-crash:cpts.test");
  });

  it("announces nothing to someone who already shares a direct chat with the bot", async () => {
    const chats = new FakeChats();
    chats.openedByThem.set("@ide:cpts.test", "!theirs:cpts.test");
    const { opener, welcomes } = world([member("ide")], chats);
    expect(await opener.sweep()).toEqual({ welcomed: 0, alreadyOpen: 1, failed: 0 });
    expect(chats.notices.size).toBe(0);
    expect(welcomes.statuses().get("@ide:cpts.test")).toBe("existing");
  });

  it("goes on past a failure, and tries that person again at the next sweep", async () => {
    const chats = new FakeChats();
    chats.failing.add("@refuses:cpts.test");
    const { opener } = world([member("refuses"), member("ide")], chats);
    expect(await opener.sweep()).toEqual({ welcomed: 1, alreadyOpen: 0, failed: 1 });
    chats.failing.clear();
    expect(await opener.sweep()).toEqual({ welcomed: 1, alreadyOpen: 0, failed: 0 });
    expect(chats.notices.has("snp-direct-chat-welcome:@refuses:cpts.test")).toBe(true);
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
    expect(await opener.sweep()).toMatchObject({ welcomed: 7 });
    expect(most).toBe(2);
  });
});
