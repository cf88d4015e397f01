// Referrals (adressage) on the real Synapse: from a case room (seen from a read receipt,
// accepted, the target joins the team), from a direct chat (declined with a reason; accepted
// → a case room for the two), the reminder, the timestamped list, and kill -9 mid-referral.
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, createCareWorld, joinedRoomNamed, pinnedText, seenBy, type CareWorld } from "./helpers/care-world.ts";
import type { ElementClient } from "./helpers/element-client.ts";
import { until } from "./helpers/until.ts";

const REFERRAL_CODE = /AD-[A-Z2-9]{4}/;
const CASE_CODE = /C-[A-Z2-9]{4}/;

describe("referrals (adressage)", () => {
  let world: CareWorld;
  let gp: ElementClient;
  let nurse: ElementClient;
  let kine: ElementClient;
  let pharmacist: ElementClient;

  /** The bot's messages to `client` mentioning `text`, edits excluded. */
  const botMessagesTo = (client: ElementClient, text: string): MatrixEvent[] =>
    seenBy(client).filter((e) => e.getSender() === world.setup.userId && body(e).includes(text) && e.getContent()["m.relates_to"]?.rel_type !== "m.replace");
  const notificationOf = async (client: ElementClient, code: string): Promise<MatrixEvent> => {
    await until(`${client.userId}: referral ${code}`, 30_000, () => botMessagesTo(client, code).some((e) => body(e).startsWith("📨")));
    return botMessagesTo(client, code).find((e) => body(e).startsWith("📨"))!;
  };
  const react = (client: ElementClient, event: MatrixEvent, key: string): Promise<string> =>
    client.sendEvent(event.getRoomId()!, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: event.getId(), key } });

  beforeAll(async () => {
    world = await createCareWorld(
      [
        { name: "Julien Dupuis", profession: "Médecin", specialties: ["Médecine Générale"], commune: "Douai", communeCode: "59178" },
        { name: "Sophie Bernardin", profession: "Infirmier", commune: "Douai", communeCode: "59178" },
        { name: "Thomas Morvan", profession: "Masseur-Kinésithérapeute", commune: "Douai", communeCode: "59178" },
        { name: "Karim Petitjean", profession: "Pharmacien", commune: "Sin-le-Noble", communeCode: "59569" },
      ],
      { referralReminderAfter: "8s" },
    );
    [gp, nurse, kine, pharmacist] = world.members as [ElementClient, ElementClient, ElementClient, ElementClient];
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("from a case room: the target gets the reason and the case's label, the sender sees it seen then accepted, the target joins the team", async () => {
    const created = await world.ask(gp, await world.dm(gp), `!patient suivi genou ${nurse.userId}`);
    const caseCode = CASE_CODE.exec(created)![0];
    const caseRoom = await joinedRoomNamed(gp, caseCode);
    await world.botSays(gp, caseRoom, (b) => b.includes("fiche de liaison"));
    await gp.sendText(caseRoom, "MARTIN Paul, né le 02/05/1950");
    await world.botSays(gp, caseRoom, (b) => b.startsWith("📋 Fiche de liaison"));
    const sent = await world.ask(gp, caseRoom, "!adresser kiné Douai rééducation genou post-PTG");
    expect(sent).toContain("Thomas Morvan");
    const code = REFERRAL_CODE.exec(sent)![0];

    const notification = await notificationOf(kine, code);
    expect(body(notification)).toContain("Motif : rééducation genou post-PTG");
    expect(body(notification)).toContain(`Cas : ${caseCode} · suivi genou`);
    // The reason stays in the encrypted messages only.
    await until("the reason is forgotten", 10_000, () => world.dbGet<{ reason: string | null }>("SELECT reason FROM care_referrals WHERE code = ?", code).reason === null);

    await kine.client.sendReadReceipt(notification);
    await world.botSays(gp, caseRoom, (b) => b.startsWith(`👀 Adressage ${code} vu par Thomas Morvan`));
    await react(kine, notification, "✅");
    await joinedRoomNamed(kine, caseCode);
    await world.botSays(gp, caseRoom, (b) => b.startsWith(`✅ Adressage ${code} accepté par Thomas Morvan`));
    // The target is told the identity is pinned there: they can read it.
    await until("the target reads the pinned fiche", 30_000, async () => (await pinnedText(kine, caseRoom))?.includes("MARTIN Paul") === true);
    await world.botSays(nurse, caseRoom, (b) => b.includes("Thomas Morvan") && b.includes("rejoint l'équipe"));

    expect(await world.ask(kine, notification.getRoomId()!, `!adressage fait ${code}`)).toContain(`Adressage ${code} marqué fait`);
    await world.botSays(gp, caseRoom, (b) => b.startsWith(`✔️ Adressage ${code} : Thomas Morvan l'a marqué fait`));
    const list = await world.ask(gp, await world.dm(gp), "!adressage liste");
    expect(list).toMatch(new RegExp(`${code} → Thomas Morvan : fait \\(envoyé [0-9/ :]+, vu [0-9/ :]+, accepté [0-9/ :]+, fait [0-9/ :]+\\)`));
  });

  it("from a direct chat: declined with a reason the target is asked for; a second answer is refused", async () => {
    const dm = await world.dm(gp);
    const code = REFERRAL_CODE.exec(await world.ask(gp, dm, `!adresser ${pharmacist.userId} bilan de médication`))![0];
    const notification = await notificationOf(pharmacist, code);
    expect(body(notification)).toContain("Motif : bilan de médication");
    await react(pharmacist, notification, "❌");
    const question = await world.botSays(pharmacist, notification.getRoomId()!, (b) => b.startsWith(`Pourquoi déclinez-vous l'adressage ${code}`));
    expect(question.getContent()["m.relates_to"]?.["m.in_reply_to"]?.event_id).toBe(notification.getId());
    expect(await world.ask(pharmacist, notification.getRoomId()!, "pas de créneau avant 3 semaines")).toContain("vous déclinez l'adressage");
    await world.botSays(gp, dm, (b) => b === `❌ Adressage ${code} décliné par Karim Petitjean le ${b.slice(b.indexOf(" le ") + 4, b.indexOf(" : "))} : pas de créneau avant 3 semaines`);
    expect(await world.ask(pharmacist, notification.getRoomId()!, `!adressage accepte ${code}`)).toContain("a déjà une réponse (décliné)");
    expect(await world.ask(nurse, await world.dm(nurse), `!adressage accepte ${code}`)).toContain("ne vous est pas destiné");
  });

  it("reminds the target once when nobody answers", async () => {
    const dm = await world.dm(gp);
    const code = REFERRAL_CODE.exec(await world.ask(gp, dm, `!adresser "Karim Petitjean" conciliation médicamenteuse`))![0];
    await notificationOf(pharmacist, code);
    await until("the reminder", 8_000 + 20_000, () => botMessagesTo(pharmacist, code).some((e) => body(e).startsWith("⏰ Rappel")));
    await world.botSays(gp, dm, (b) => b.startsWith(`⏰ Adressage ${code} : toujours sans réponse`));
    await new Promise((r) => setTimeout(r, 6_000));
    expect(botMessagesTo(pharmacist, code).filter((e) => body(e).startsWith("⏰ Rappel"))).toHaveLength(1);
    expect(await world.ask(gp, dm, `!adressage annule ${code}`)).toContain(`Adressage ${code} annulé`);
    await until("the target is told", 20_000, () => botMessagesTo(pharmacist, code).some((e) => body(e).startsWith("⏹️")));
  });

  it("accepted from a direct chat across a kill -9: one case room for the two, the sender told once", async () => {
    const dm = await world.dm(gp);
    const code = REFERRAL_CODE.exec(await world.ask(gp, dm, `!adresser ${kine.userId} rééducation épaule`))![0];
    const notification = await notificationOf(kine, code);
    await react(kine, notification, "✅");
    await until("the acceptance is recorded", 20_000, () => world.dbGet<{ status: string }>("SELECT status FROM care_referrals WHERE code = ?", code).status === "accepted");
    await world.bot.kill9();
    await world.restart();
    await world.botSays(gp, dm, (b) => b.startsWith(`✅ Adressage ${code} accepté par Thomas Morvan`));
    const caseCode = world.dbGet<{ case_code: string }>("SELECT case_code FROM care_referrals WHERE code = ?", code).case_code;
    const room = await joinedRoomNamed(kine, `${caseCode} · adressage Masseur-Kinésithérapeute`);
    await joinedRoomNamed(gp, caseCode);
    await world.botSays(gp, room, (b) => b.includes("fiche de liaison"));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(kine.client.getRooms().filter((r) => r.name.includes(caseCode))).toHaveLength(1);
    expect(botMessagesTo(gp, code).filter((e) => body(e).startsWith("✅ Adressage"))).toHaveLength(1);
    expect(world.dbGet<{ n: number }>("SELECT COUNT(*) AS n FROM care_cases WHERE opened_by_event = ?", `referral:${code}`).n).toBe(1);
  });

  it("kill -9 while the bot is down for the answer: the acceptance is read after the restart", async () => {
    const dm = await world.dm(gp);
    const code = REFERRAL_CODE.exec(await world.ask(gp, dm, `!adresser ${pharmacist.userId} suivi AVK`))![0];
    const notification = await notificationOf(pharmacist, code);
    await world.bot.kill9();
    await react(pharmacist, notification, "✅");
    await world.restart();
    await world.botSays(gp, dm, (b) => b.startsWith(`✅ Adressage ${code} accepté par Karim Petitjean`));
    const caseCode = world.dbGet<{ case_code: string }>("SELECT case_code FROM care_referrals WHERE code = ?", code).case_code;
    await joinedRoomNamed(pharmacist, caseCode);
    expect(world.bot.output()).not.toMatch(/rééducation|médication|AVK/);
  });
});
