// SNP dispatch on the real Synapse: a regulator's request reaches the available nurses in
// encrypted direct chats, the first to accept wins, the others see it taken, a case room
// brings requester and acceptor together; refusals, escalation and the call-back task.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "./helpers/until.ts";
import { body, botMessages, createSnpWorld, notificationOf, seenBy, type SnpWorld } from "./helpers/snp-world.ts";

const CODE = /SNP-[A-Z0-9]{4}/;
const GARDE_TOKEN = randomBytes(32).toString("base64url");

/** "23/11 22h" in Paris time. */
function parisSlot(epochMs: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", hour: "2-digit", hourCycle: "h23" }).formatToParts(epochMs).map((p) => [p.type, p.value]),
  );
  return `${parts["day"]}/${parts["month"]} ${Number(parts["hour"])}h`;
}
const NURSES = [
  { name: "Alice Martin", commune: "Douai", communeCode: "59178" },
  { name: "Bruno Petit", commune: "Sin-le-Noble", communeCode: "59569" },
  { name: "Chloé Roux", commune: "Waziers", communeCode: "59654" },
  { name: "David Noël", commune: "Cuincy", communeCode: "59165" },
  { name: "Emma Faure", commune: "Flers-en-Escrebieux", communeCode: "59234" },
];

describe("SNP dispatch", () => {
  let world: SnpWorld;

  async function ask(roomId: string, text: string, client = world.regulator): Promise<string> {
    const id = await client.sendText(roomId, text);
    const reply = await client.waitForMessage(roomId, (e) => e.getSender() === world.setup.userId && JSON.stringify(e.getContent()).includes(id));
    return body(reply);
  }

  async function request(text: string): Promise<string> {
    const reply = await ask(world.regulationRoom, text);
    const code = CODE.exec(reply)?.[0];
    if (!code) throw new Error(`no request code in: ${reply}`);
    return code;
  }

  const react = (client: SnpWorld["candidates"][number], event: MatrixEvent, key: string): Promise<string> =>
    client.sendEvent(event.getRoomId()!, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: event.getId(), key } });

  const regulationNews = (predicate: (text: string) => boolean): Promise<MatrixEvent> =>
    world.regulator.waitForMessage(world.regulationRoom, (e) => e.getSender() === world.setup.userId && predicate(body(e)));

  beforeAll(async () => {
    const secrets = mkdtempSync(join(tmpdir(), "cpts-snp-secrets-"));
    writeFileSync(join(secrets, "garde-token"), GARDE_TOKEN, { mode: 0o600 });
    world = await createSnpWorld(NURSES, { responseDeadline: "10m", reminderAfter: "5m", gardeApiTokenFile: join(secrets, "garde-token") });
  });

  afterAll(async () => {
    if (process.env.SHOW_BOT_OUTPUT) console.log(world?.bot.output());
    await world?.stop();
  });

  it("notifies the 5 available nurses, the first ✅ wins, the others see it taken, a case room opens", async () => {
    const code = await request('!snp IDE Douai 6h domicile "pansement 10 j, 2 passages/jour" 70+ sans-MT');
    const notifications = await Promise.all(world.candidates.map((c) => notificationOf(c, world.setup.userId, code)));
    for (const n of notifications) {
      expect(body(n)).toContain("pansement 10 j");
      expect(body(n)).toContain("Patient : 70+ ans, sans médecin traitant\n");
      expect(body(n).match(/70\+/g)).toHaveLength(1);
      expect(n.isEncrypted()).toBe(true);
    }
    const acceptor = world.candidates[1]!;
    await react(acceptor, notifications[1]!, "✅");
    const news = await regulationNews((t) => t.includes(code) && t.includes("acceptée par"));
    expect(body(news)).toContain("Bruno Petit");
    expect(body(news)).toContain("visite à domicile");

    // The others' notifications now say who took it.
    for (const [i, c] of world.candidates.entries()) {
      if (i === 1) continue;
      await until(`${c.userId} sees the request taken`, 30_000, () =>
        seenBy(c).some((e) => e.getRoomId() === notifications[i]!.getRoomId() && body(e).includes("prise en charge par Bruno Petit")),
      );
    }
    // Who reacts too late sees their notification edited, and gets no second message saying the same.
    const late = world.candidates[0]!;
    await react(late, notifications[0]!, "✅");
    await new Promise((r) => setTimeout(r, 4_000));
    expect(botMessages(late, world.setup.userId, code).filter((e) => body(e).includes("déjà prise en charge"))).toHaveLength(0);
    // The case room: pseudonymous name, requester and acceptor, the full request inside (encrypted).
    await until("the acceptor is in the case room", 30_000, () => acceptor.client.getRooms().some((r) => r.name === `Cas ${code}` && r.getMyMembership() === "join"));
    const caseRoom = acceptor.client.getRooms().find((r) => r.name === `Cas ${code}`)!;
    const intro = await acceptor.waitForMessage(caseRoom.roomId, (e) => body(e).includes("donnez ici l'identité du patient"));
    expect(intro.isEncrypted()).toBe(true);
    expect(body(intro)).toContain("pansement 10 j");
    // The regulator has no directory entry: shown by their display name, not their Matrix id.
    expect(body(intro)).toContain("Régulatrice (demandeur) et Bruno Petit");
    expect(body(intro)).not.toContain(world.regulator.userId);
    expect(body(intro).match(/70\+/g)).toHaveLength(1);
    expect(caseRoom.getMember(world.regulator.userId)?.membership).toMatch(/invite|join/);

    // Closure by the acceptor; the requester hears of it.
    expect(await ask(notifications[1]!.getRoomId()!, `!snp fait ${code}`, acceptor)).toContain("soin réalisé");
    await regulationNews((t) => t.includes(code) && t.includes("soin réalisé par Bruno Petit"));
    // Someone else cannot close it again.
    expect(await ask(notifications[0]!.getRoomId()!, `!snp fait ${code}`, world.candidates[0]!)).toContain("n'est plus en attente");
  });

  it("accepts exactly one of two simultaneous accepts", async () => {
    const code = await request('!snp IDE Douai 24h "prise de sang à domicile" 70+ sans-MT');
    const [first, second] = await Promise.all([0, 2].map((i) => notificationOf(world.candidates[i]!, world.setup.userId, code)));
    await Promise.all([react(world.candidates[0]!, first!, "✅"), world.candidates[2]!.sendText(second!.getRoomId()!, `!snp accepte ${code} domicile`)]);
    await regulationNews((t) => t.includes(code) && t.includes("acceptée par"));
    // The loser is told once: by a reply to the command, or by the edit of the notification they reacted to.
    await until("the loser is told", 30_000, () =>
      [0, 2].some((i) => seenBy(world.candidates[i]!).some((e) => e.getSender() === world.setup.userId && body(e).includes(code) && /déjà prise en charge|prise en charge par/.test(body(e)))),
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const accepted = botMessages(world.regulator, world.setup.userId, code).filter((e) => body(e).includes("acceptée par"));
    expect(accepted).toHaveLength(1);
  });

  it("escalates to the regulation room when everyone declines; a regulator claims the call-back with ✋ and closes it", async () => {
    const code = await request('!snp IDE Douai 6h "injection" 70+ ALD sans-MT');
    const notifications = await Promise.all(world.candidates.map((c) => notificationOf(c, world.setup.userId, code)));
    await Promise.all(world.candidates.map((c, i) => react(c, notifications[i]!, "❌")));
    const escalation = await regulationNews((t) => t.includes(code) && t.includes("à reprendre"));
    expect(body(escalation)).toContain("tous les professionnels sollicités ont décliné");
    expect(body(escalation)).toContain("116 117");
    expect(body(escalation)).toContain("décliné par");
    await world.regulator.sendEvent(world.regulationRoom, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: escalation.getId(), key: "✋" } });
    await regulationNews((t) => t.includes(code) && t.includes("rappelle le patient"));
    expect(await ask(world.regulationRoom, `!snp clos ${code} garde`)).toContain("orienté vers la garde");
  });

  it("redirects an ineligible request with the reason, and notifies nobody", async () => {
    const reply = await ask(world.regulationRoom, '!snp IDE Douai 6h "pansement" 18-69 MT-dispo');
    expect(reply).toContain("non éligible");
    expect(reply).toContain("médecin traitant du patient est disponible");
    const code = CODE.exec(reply)![0];
    await new Promise((r) => setTimeout(r, 1_500));
    for (const c of world.candidates) expect(botMessages(c, world.setup.userId, code)).toHaveLength(0);
  });

  it("answers bad input with every problem at once", async () => {
    const reply = await ask(world.regulationRoom, "!snp plombier Lille -3h");
    expect(reply).toContain("Je ne connais pas la profession « plombier »");
    expect(reply).toContain("ne fait pas partie du territoire");
    expect(reply).toContain("au moins une heure");
    expect(await ask(world.regulationRoom, "!snp fait SNP-ZZZZ")).toContain("Je ne trouve pas la demande");
  });

  it("guides a verified member step by step in a direct chat, and respects !dispo off", async () => {
    const member = world.candidates[4]!;
    const dm = await member.createEncryptedDm(world.setup.userId);
    await member.waitForJoin(dm, world.setup.userId);
    expect(await ask(dm, "!dispo off", member)).toContain("plus de demandes SNP");
    expect(await ask(dm, "!snp", member)).toContain("Quelle profession");
    expect(await ask(dm, "plombier", member)).toContain("Je ne connais pas la profession");
    expect(await ask(dm, "IDE", member)).toContain("Dans quelle commune");
    expect(await ask(dm, "Douai", member)).toContain("Sous quel délai");
    expect(await ask(dm, "12h", member)).toContain("Quels modes");
    expect(await ask(dm, "domicile", member)).toContain("Décrivez le besoin");
    expect(await ask(dm, "surveillance glycémie", member)).toContain("Tranche d'âge");
    expect(await ask(dm, "70+", member)).toContain("médecin traitant");
    expect(await ask(dm, "2", member)).toContain("Critères");
    expect(await ask(dm, "aucun", member)).toContain("professionnel habituel");
    const done = await ask(dm, "aucun", member);
    expect(done).toContain("professionnel(s) sollicité(s)");
    const code = CODE.exec(done)![0];
    await notificationOf(world.candidates[0]!, world.setup.userId, code);
    await new Promise((r) => setTimeout(r, 1_500));
    // Off duty by !dispo: not asked, even for the request they opened.
    expect(botMessages(member, world.setup.userId, code).filter((e) => body(e).startsWith("🩺"))).toHaveLength(0);
    expect(await ask(dm, "!dispo on", member)).toContain("disponible");
  });

  it("keeps the on-call rota: the coordinator declares a shift, !garde names who is on duty, the phone line asks GET /garde/now", async () => {
    const dm = await world.coordinator.createEncryptedDm(world.setup.userId);
    await world.coordinator.waitForJoin(dm, world.setup.userId);
    const start = Date.now() - 30 * 60_000;
    const onCall = world.candidates[3]!;
    expect(await ask(dm, `!garde ajout ${onCall.userId} ${parisSlot(start)} ${parisSlot(start + 6 * 3_600_000)}`, world.coordinator)).toContain("David Noël");
    expect(await ask(dm, "!garde", world.coordinator)).toContain("David Noël");
    const url = `http://127.0.0.1:${world.setup.httpPort}/garde/now`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong-token-wrong-token-wrong-token" } })).status).toBe(401);
    const answer = (await (await fetch(url, { headers: { authorization: `Bearer ${GARDE_TOKEN}` } })).json()) as { onDuty: { userId: string; name: string }[] };
    expect(answer.onDuty.map((p) => p.userId)).toEqual([onCall.userId]);
    expect(world.bot.output()).not.toContain(GARDE_TOKEN);
  });
});
