// The SNP bot opens its direct chat with each member of the SNP pool ahead of any request, on
// the real Synapse: one welcome notice per person (in their language), none after a restart,
// none for members outside the pool until they join it, and a later request arrives in that
// same chat (so the first dispatch of a morning does not wait for the homeserver to create
// the chats).
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { Profiles } from "../bots/directory/profile/profile-store.ts";
import { until } from "./helpers/until.ts";
import { body, createSnpWorld, notificationOf, seenBy, type SnpWorld } from "./helpers/snp-world.ts";

const CODE = /SNP-[A-Z0-9]{4}/;
const PEOPLE = [
  { name: "Alice Martin", commune: "Douai", communeCode: "59178" },
  { name: "Bruno Petit", commune: "Douai", communeCode: "59178", lang: "en" as const },
  // Not in the SNP pool at start: no chat, until the directory bot's `!profil snp oui`.
  { name: "Chloé Roux", commune: "Douai", communeCode: "59178", inPool: false },
];
const SWEEP_S = 3;

describe("SNP direct chats opened ahead of requests", () => {
  let world: SnpWorld;
  const [alice, bruno, chloe] = [0, 1, 2];

  const welcomes = (i: number): MatrixEvent[] =>
    seenBy(world.candidates[i]!).filter((e) => e.getSender() === world.setup.userId && /vivier SNP|SNP pool/.test(body(e)));
  const welcomed = (i: number, timeoutMs = 60_000): Promise<void> => until(`${world.candidates[i]!.userId} holds the welcome`, timeoutMs, () => welcomes(i).length > 0);

  beforeAll(async () => {
    world = await createSnpWorld(PEOPLE, { directChatSweep: `${SWEEP_S}s` });
  });

  afterAll(async () => {
    if (process.env.SHOW_BOT_OUTPUT) console.log(world?.bot.output());
    await world?.stop();
  });

  it("opens a direct chat with each pool member at start, without any request, with one welcome in their language", async () => {
    await Promise.all([welcomed(alice), welcomed(bruno)]);
    const [fr, en] = [welcomes(alice)[0]!, welcomes(bruno)[0]!];
    expect(body(fr)).toContain("les demandes de soins non programmés qui vous concernent arriveront ici");
    expect(body(fr)).toContain("`!profil snp non`");
    expect(body(en)).toContain("the unscheduled-care requests meant for you will arrive here");
    for (const [i, welcome] of [[alice, fr], [bruno, en]] as const) {
      expect(welcome.isEncrypted()).toBe(true);
      const room = world.candidates[i]!.client.getRoom(welcome.getRoomId()!)!;
      expect(room.getJoinedMembers().map((m) => m.userId).sort()).toEqual([world.candidates[i]!.userId, world.setup.userId].sort());
    }
    // Outside the pool: nothing, not even an invitation.
    await new Promise((r) => setTimeout(r, 2 * SWEEP_S * 1000));
    expect(welcomes(chloe)).toHaveLength(0);
    expect(world.candidates[chloe]!.client.getRooms().filter((r) => r.getMember(world.setup.userId))).toHaveLength(0);
  });

  it("welcomes nobody twice across a crash and restart, and opens the chat of someone who joins the pool meanwhile at the next sweep", async () => {
    await world.bot.kill9();
    await world.restart();
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
    new Profiles(db, { now: () => Date.now() }).set(world.candidates[chloe]!.userId, "snp", true);
    db.close();
    // Chloé's welcome comes from a sweep after the restart, which looked at everyone.
    await welcomed(chloe);
    await new Promise((r) => setTimeout(r, 2 * SWEEP_S * 1000));
    for (const i of [alice, bruno, chloe]) expect(welcomes(i), world.candidates[i]!.userId).toHaveLength(1);
  });

  it("delivers a later request in that same direct chat", async () => {
    const id = await world.regulator.sendText(world.regulationRoom, '!snp IDE Douai 6h domicile "pansement 10 j" 70+ sans-MT');
    const reply = await world.regulator.waitForMessage(world.regulationRoom, (e) => e.getSender() === world.setup.userId && JSON.stringify(e.getContent()).includes(id));
    const code = CODE.exec(body(reply))![0];
    expect(body(reply)).toContain("3 professionnel(s) sollicité(s)");
    for (const i of [alice, bruno, chloe]) {
      const notification = await notificationOf(world.candidates[i]!, world.setup.userId, code);
      expect(notification.getRoomId()).toBe(welcomes(i)[0]!.getRoomId());
    }
  });
});
