// SNP timers and crashes on the real Synapse, with short timers: the reminder, the deadline
// escalation, the usual-professional-first cascade, and `kill -9` of the bot at each stage
// (mid-dispatch, just after an accept, between two waves, across a deadline).
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { until } from "./helpers/until.ts";
import { body, botMessages, createSnpWorld, notificationOf, seenBy, type SnpWorld } from "./helpers/snp-world.ts";

const CODE = /SNP-[A-Z0-9]{4}/;
const NURSES = [
  { name: "Hélène Vidal", commune: "Douai", communeCode: "59178" },
  { name: "Julien Morel", commune: "Sin-le-Noble", communeCode: "59569" },
  { name: "Karima Benali", commune: "Waziers", communeCode: "59654" },
];
/** The scheduler reads its queue every 5 s: a timer fires at most that late, plus the send. */
const TICK_MS = 5_000;
const RESPONSE_DEADLINE_MS = 30_000;

describe("SNP timers and restarts", () => {
  let world: SnpWorld;

  const dbQuery = <T>(sql: string, ...params: unknown[]): T => {
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
    try {
      return db.prepare(sql).get(...params) as T;
    } finally {
      db.close();
    }
  };
  const statusOf = (code: string): string | undefined => dbQuery<{ status: string } | undefined>("SELECT status FROM snp_requests WHERE id = ?", code)?.status;
  const notificationsOf = (i: number, code: string): MatrixEvent[] => botMessages(world.candidates[i]!, world.setup.userId, code).filter((e) => body(e).startsWith("🩺"));
  const regulationMessages = (code: string, text: string): MatrixEvent[] => botMessages(world.regulator, world.setup.userId, code).filter((e) => body(e).includes(text));

  async function request(text: string): Promise<string> {
    const id = await world.regulator.sendText(world.regulationRoom, text);
    const reply = await world.regulator.waitForMessage(world.regulationRoom, (e) => e.getSender() === world.setup.userId && JSON.stringify(e.getContent()).includes(id));
    return CODE.exec(body(reply))![0];
  }

  const react = (i: number, event: MatrixEvent, key: string): Promise<string> =>
    world.candidates[i]!.sendEvent(event.getRoomId()!, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: event.getId(), key } });

  async function crashAndRestart(pauseMs = 0): Promise<void> {
    await world.bot.kill9();
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    await world.restart();
  }

  beforeAll(async () => {
    // The deadline leaves room for a crash, a restart and a wave before it (the cascade and
    // kill -9 tests must answer within it, even on a loaded machine).
    world = await createSnpWorld(NURSES, { responseDeadline: `${RESPONSE_DEADLINE_MS / 1000}s`, reminderAfter: "6s", usualProfessionalFirst: "6s", waveTimeout: "1h" });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("sends one reminder to those who did not answer, then escalates at the deadline", async () => {
    const code = await request('!snp IDE Douai 6h "surveillance plaie" 70+ sans-MT');
    const notifications = await Promise.all([0, 1, 2].map((i) => notificationOf(world.candidates[i]!, world.setup.userId, code)));
    await react(2, notifications[2]!, "❌");
    for (const i of [0, 1]) {
      await until(`reminder to candidate ${i}`, 6_000 + 2 * TICK_MS + 10_000, () => botMessages(world.candidates[i]!, world.setup.userId, code).some((e) => body(e).startsWith("⏰")));
    }
    expect(botMessages(world.candidates[2]!, world.setup.userId, code).some((e) => body(e).startsWith("⏰"))).toBe(false);
    await until("the escalation", RESPONSE_DEADLINE_MS + 2 * TICK_MS + 10_000, () => regulationMessages(code, "délai de réponse dépassé").length > 0);
    expect(regulationMessages(code, "à reprendre")[0] && body(regulationMessages(code, "à reprendre")[0]!)).toContain("relance");
    await until("the notifications say the request left", 15_000, () =>
      seenBy(world.candidates[0]!).some((e) => e.getRoomId() === notifications[0]!.getRoomId() && body(e).includes("transmise à la régulation")),
    );
    for (const i of [0, 1]) expect(botMessages(world.candidates[i]!, world.setup.userId, code).filter((e) => body(e).startsWith("⏰"))).toHaveLength(1);
  });

  it("asks the patient's usual professional alone first, then the others (skipping one who left the CPTS), even across a crash between the waves", async () => {
    const usual = world.candidates[1]!.userId;
    const code = await request(`!snp IDE Douai 24h "injection anticoagulant" 70+ ALD sans-MT ${usual}`);
    const first = await notificationOf(world.candidates[1]!, world.setup.userId, code);
    expect(body(first)).toContain("professionnel habituel");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(notificationsOf(0, code)).toHaveLength(0);
    expect(notificationsOf(2, code)).toHaveLength(0);
    // One candidate of the next wave leaves the CPTS meanwhile: skipped.
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
    db.prepare("UPDATE verified_members SET active = 0 WHERE user_id = ?").run(world.candidates[2]!.userId);
    db.close();
    // Down across the end of the usual professional's time: the next wave goes out after the restart.
    await crashAndRestart(6_000);
    await notificationOf(world.candidates[0]!, world.setup.userId, code, 2 * TICK_MS + 15_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(notificationsOf(1, code)).toHaveLength(1);
    expect(notificationsOf(2, code)).toHaveLength(0);
    await react(0, notificationsOf(0, code)[0]!, "✅");
    await until("accepted", 20_000, () => statusOf(code) === "accepted");
    const back = openDatabase(join(world.setup.dataDir, "bots.db"));
    back.prepare("UPDATE verified_members SET active = 1 WHERE user_id = ?").run(world.candidates[2]!.userId);
    back.close();
  });

  it("kill -9 in the middle of a dispatch: one request, each candidate notified once", async () => {
    const before = Date.now();
    await world.regulator.sendText(world.regulationRoom, '!snp IDE Douai 6h "pansement complexe" 70+ sans-MT');
    await until("the request is stored", 20_000, () => dbQuery<{ n: number }>("SELECT COUNT(*) AS n FROM snp_requests WHERE created_at >= ?", before).n > 0);
    await crashAndRestart();
    const code = dbQuery<{ id: string }>("SELECT id FROM snp_requests ORDER BY created_at DESC LIMIT 1").id;
    await Promise.all([0, 1, 2].map((i) => notificationOf(world.candidates[i]!, world.setup.userId, code)));
    await new Promise((r) => setTimeout(r, 3_000));
    for (const i of [0, 1, 2]) expect(notificationsOf(i, code)).toHaveLength(1);
    expect(dbQuery<{ n: number }>("SELECT COUNT(*) AS n FROM snp_requests WHERE created_at >= ?", before).n).toBe(1);
    await react(1, notificationsOf(1, code)[0]!, "✅");
    await until("accepted", 20_000, () => statusOf(code) === "accepted");
  });

  it("kill -9 just after an accept: one acceptance, one case room, the requester told once", async () => {
    const code = await request('!snp IDE Douai 6h "retrait de fils" 70+ CSS sans-MT');
    const notifications = await Promise.all([0, 1, 2].map((i) => notificationOf(world.candidates[i]!, world.setup.userId, code)));
    await react(0, notifications[0]!, "✅");
    await until("accepted", 20_000, () => statusOf(code) === "accepted");
    await crashAndRestart();
    await until("the requester is told", 30_000, () => regulationMessages(code, "acceptée par").length > 0);
    await until("the acceptor is in the case room", 30_000, () => world.candidates[0]!.client.getRooms().some((r) => r.name === `Cas ${code}` && r.getMyMembership() === "join"));
    await react(1, notifications[1]!, "✅");
    await new Promise((r) => setTimeout(r, 3_000));
    expect(regulationMessages(code, "acceptée par")).toHaveLength(1);
    expect(world.candidates[0]!.client.getRooms().filter((r) => r.name === `Cas ${code}`)).toHaveLength(1);
    // The late ✅ is answered by the notification edited to say who took it (one message, not two).
    const late = world.candidates[1]!;
    await until("the late candidate sees the request taken", 30_000, () =>
      seenBy(late).some((e) => e.getRoomId() === notifications[1]!.getRoomId() && body(e).includes("prise en charge par")),
    );
    expect(botMessages(late, world.setup.userId, code).filter((e) => body(e).includes("déjà prise en charge"))).toHaveLength(0);
  });

  it("a deadline that passes while the bot is down is kept right after the restart", async () => {
    const code = await request('!snp IDE Douai 6h "aérosols" 70+ sans-MT');
    await Promise.all([0, 1, 2].map((i) => notificationOf(world.candidates[i]!, world.setup.userId, code)));
    await world.bot.kill9();
    await new Promise((r) => setTimeout(r, RESPONSE_DEADLINE_MS + 1_000));
    const restarted = Date.now();
    await world.restart();
    await until("the escalation", 30_000, () => regulationMessages(code, "à reprendre").length > 0);
    expect(Date.now() - restarted).toBeLessThan(2 * TICK_MS + 10_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(regulationMessages(code, "à reprendre")).toHaveLength(1);
  });
});
