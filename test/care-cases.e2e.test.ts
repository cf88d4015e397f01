// Patient case rooms on the real Synapse: creation with members (encrypted, pseudonymous
// state, pinned fiche de liaison), invitation by directory search, refusals, alerts with
// acknowledgement and reminders, closure and reopening, the member's list of cases.
import { EventType, type MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, createCareWorld, joinedRoomNamed, pinnedText, seenBy, type CareWorld } from "./helpers/care-world.ts";
import { until } from "./helpers/until.ts";

const CASE_CODE = /C-[A-Z2-9]{4}/;

describe("patient case rooms", () => {
  let world: CareWorld;
  let gp: CareWorld["members"][number];
  let nurse: CareWorld["members"][number];
  let kine: CareWorld["members"][number];
  let pharmacist: CareWorld["members"][number];
  let outsider: CareWorld["members"][number];
  let former: CareWorld["members"][number];

  beforeAll(async () => {
    world = await createCareWorld(
      [
        { name: "Julien Dupuis", profession: "Médecin", specialties: ["Médecine Générale"], commune: "Douai", communeCode: "59178" },
        { name: "Sophie Bernardin", profession: "Infirmier", commune: "Douai", communeCode: "59178" },
        { name: "Thomas Morvan", profession: "Masseur-Kinésithérapeute", commune: "Douai", communeCode: "59178" },
        { name: "Karim Petitjean", profession: "Pharmacien", commune: "Sin-le-Noble", communeCode: "59569" },
        { name: "Olivier Horsain", profession: "Infirmier", commune: "Douai", communeCode: "59178", membership: "none" },
        { name: "Agathe Partie", profession: "Infirmier", commune: "Waziers", communeCode: "59654", membership: "deactivated" },
      ],
      { alertReminderAfter: "6s", alertMaxReminders: 1 },
    );
    [gp, nurse, kine, pharmacist, outsider, former] = world.members as [typeof gp, typeof gp, typeof gp, typeof gp, typeof gp, typeof gp];
  });

  afterAll(async () => {
    await world?.stop();
  });

  let caseRoom: string;
  let code: string;

  it("creates an encrypted room with its members; the name carries only the code and theme; the fiche de liaison is pinned", async () => {
    const dm = await world.dm(gp);
    const reply = await world.ask(gp, dm, `!patient plaie pied diabétique ${nurse.userId} ${world.rpps[3]}`);
    expect(reply).toMatch(/Cas C-[A-Z2-9]{4} · plaie pied diabétique ouvert/);
    expect(reply).toContain("Sophie Bernardin");
    expect(reply).toContain("Karim Petitjean");
    code = CASE_CODE.exec(reply)![0];
    caseRoom = await joinedRoomNamed(gp, code);
    await joinedRoomNamed(nurse, code);
    await joinedRoomNamed(pharmacist, code);

    const state = (type: string): Record<string, unknown> => gp.client.getRoom(caseRoom)!.currentState.getStateEvents(type, "")!.getContent();
    expect(state(EventType.RoomEncryption)["algorithm"]).toBe("m.megolm.v1.aes-sha2");
    expect(state(EventType.RoomName)["name"]).toBe(`Équipe ${code} · plaie pied diabétique`);
    expect(state(EventType.RoomHistoryVisibility)["history_visibility"]).toBe("invited");
    expect(state(EventType.RoomGuestAccess)["guest_access"]).toBe("forbidden");
    expect(state(EventType.RoomJoinRules)["join_rule"]).toBe("invite");
    const powerLevels = state(EventType.RoomPowerLevels) as { users: Record<string, number>; invite: number; kick: number; state_default: number };
    expect(powerLevels.users[gp.userId]).toBe(50);
    expect(powerLevels.users[nurse.userId]).toBeUndefined();
    expect([powerLevels.invite, powerLevels.kick, powerLevels.state_default]).toEqual([50, 50, 100]);

    await world.botSays(gp, caseRoom, (b) => b.includes("fiche de liaison"));
    await gp.sendText(caseRoom, "DUPONT Jeanne, née le 12/03/1941, INS 2 41 03 59 123 456 57");
    const card = await world.botSays(nurse, caseRoom, (b) => b.startsWith("📋 Fiche de liaison"));
    expect(body(card)).toContain("DUPONT Jeanne");
    expect(body(card)).toContain("12/03/1941");
    expect(body(card)).toContain("2 41 03 59 123 456 57");
    await until("the card is pinned", 15_000, () => gp.client.getRoom(caseRoom)?.currentState.getStateEvents(EventType.RoomPinnedEvents, "")?.getContent()["pinned"]?.includes(card.getId()) === true);
    // No state event of the room carries the patient's identity.
    const everyState = JSON.stringify(gp.client.getRoom(caseRoom)!.currentState.events, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
    expect(everyState).not.toMatch(/DUPONT|Jeanne|1941/);
    // Nor the bot's logs, nor its database.
    expect(world.bot.output()).not.toMatch(/DUPONT|Jeanne|1941/);
    expect(JSON.stringify(world.dbGet("SELECT * FROM care_cases WHERE code = ?", code))).not.toMatch(/DUPONT|Jeanne|1941/);
  });

  it("asks to confirm a theme with a patient's name typed in lower case; ordinary themes open at once", async () => {
    const dm = await world.dm(gp);
    const warning = await world.ask(gp, dm, "!patient suivi marcelle lefrancq");
    expect(warning).toContain("« marcelle », « lefrancq » ressemble à un nom");
    expect(warning).not.toMatch(/Cas C-[A-Z2-9]{4}/);
    expect(await world.ask(gp, dm, "!patient sortie d'hospitalisation")).toMatch(/Cas C-[A-Z2-9]{4} · sortie d'hospitalisation ouvert/);
  });

  it("guided: asks the theme, and to confirm one that looks like a patient's name", async () => {
    const dm = await world.dm(gp);
    expect(await world.ask(gp, dm, "!patient")).toContain("Quel est le thème du suivi ?");
    const warning = await world.ask(gp, dm, "suivi Mme Lefort");
    expect(warning).toContain("« Mme Lefort » ressemble à un nom");
    const confirmed = await world.ask(gp, dm, "oui");
    expect(confirmed).toMatch(/Cas C-[A-Z2-9]{4} · suivi Mme Lefort ouvert/);
  });

  it("invites by directory search, by RPPS; refuses a non-member, a deactivated member, oneself and a second invitation", async () => {
    expect(await world.ask(gp, caseRoom, "!inviter kiné Douai")).toContain("✅ Thomas Morvan");
    await joinedRoomNamed(kine, code);
    // Invited after the fiche was written, the kiné can still read it: posted again for them, pinned in place of the old copy.
    await until("the kiné reads the pinned fiche", 30_000, async () => (await pinnedText(kine, caseRoom))?.includes("DUPONT Jeanne") === true);
    expect(await pinnedText(kine, caseRoom)).toMatch(/^📋 Fiche de liaison/);
    const pinned = gp.client.getRoom(caseRoom)!.currentState.getStateEvents(EventType.RoomPinnedEvents, "")!.getContent()["pinned"] as string[];
    expect(pinned).toHaveLength(1);
    expect(await pinnedText(gp, caseRoom)).toContain("DUPONT Jeanne");
    expect(await world.ask(gp, caseRoom, "!inviter Sophie Bernardin")).toContain("Sophie Bernardin fait déjà partie de l'équipe");
    expect(await world.ask(gp, caseRoom, `!inviter ${outsider.userId}`)).toContain("n'est pas membre vérifié(e) de la CPTS");
    expect(await world.ask(gp, caseRoom, `!inviter ${world.rpps[4]}`)).toContain("n'a pas de compte sur la messagerie");
    expect(await world.ask(gp, caseRoom, `!inviter ${former.userId}`)).toContain("ne fait plus partie de la CPTS");
    expect(await world.ask(gp, caseRoom, `!inviter ${gp.userId}`)).toContain("déjà partie de l'équipe : inutile");
    expect(await world.ask(gp, caseRoom, `!inviter ${nurse.userId}`)).toContain("fait déjà partie de l'équipe");
    expect(await world.ask(nurse, caseRoom, `!inviter ${kine.userId}`)).toContain("Seuls les gestionnaires");
    expect(gp.client.getRoom(caseRoom)!.getMember(outsider.userId)?.membership).toBeUndefined();
  });

  it("never removes the last person who can invite; a named manager can", async () => {
    expect(await world.ask(gp, caseRoom, `!retirer ${gp.userId}`)).toContain("dernière personne qui peut inviter");
    expect(await world.ask(gp, caseRoom, `!gestionnaire ${nurse.userId}`)).toContain("peut désormais inviter");
    expect(await world.ask(nurse, caseRoom, `!retirer ${pharmacist.userId}`)).toContain("a été retiré(e)");
    await until("the pharmacist left", 15_000, () => gp.client.getRoom(caseRoom)?.getMember(pharmacist.userId)?.membership === "leave");
  });

  it("alerts the whole team; the first reaction acknowledges; without one, a reminder goes out", async () => {
    const mentioned = (e: MatrixEvent): string[] => (e.getContent()["m.mentions"] as { user_ids?: string[] } | undefined)?.user_ids ?? [];
    expect(await world.ask(nurse, caseRoom, "!alerte chute à domicile, patiente confuse")).toContain("Alerte transmise");
    const alert = await world.botSays(kine, caseRoom, (b) => b.startsWith("🚨 URGENT") && b.includes("chute à domicile"));
    expect(alert.getContent()["msgtype"]).toBe("m.text");
    expect(mentioned(alert).sort()).toEqual([gp.userId, kine.userId].sort());
    await kine.sendEvent(caseRoom, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: alert.getId(), key: "👍" } });
    await world.botSays(nurse, caseRoom, (b) => b.includes("Alerte prise en compte par Thomas Morvan"));

    await world.ask(gp, caseRoom, "!alerte douleur thoracique");
    const unanswered = await world.botSays(nurse, caseRoom, (b) => b.startsWith("🚨 URGENT") && b.includes("douleur thoracique"));
    const reminder = await world.botSays(nurse, caseRoom, (b) => b.startsWith("⏰ Rappel 1/1"), 6_000 + 15_000);
    expect(reminder.getContent()["m.relates_to"]?.["m.in_reply_to"]?.event_id).toBe(unanswered.getId());
    expect(mentioned(reminder).sort()).toEqual([kine.userId, nurse.userId].sort());
    await new Promise((r) => setTimeout(r, 8_000));
    expect(seenBy(nurse).filter((e) => e.getRoomId() === caseRoom && body(e).startsWith("⏰ Rappel"))).toHaveLength(1);
  });

  it("closes the case (read-only, retention policy, members told) and reopens it within the retention time", async () => {
    expect(await world.ask(gp, caseRoom, "!clore")).toContain(`Cas ${code} clos`);
    await world.botSays(nurse, caseRoom, (b) => b.startsWith(`🔒 Cas ${code} clos`));
    const state = (type: string): Record<string, unknown> | undefined => nurse.client.getRoom(caseRoom)?.currentState.getStateEvents(type, "")?.getContent();
    await until("read-only", 15_000, () => state(EventType.RoomPowerLevels)?.["events_default"] === 100);
    expect(state("m.room.retention")).toEqual({ max_lifetime: 365 * 86_400_000 });
    await expect(nurse.sendText(caseRoom, "encore un message")).rejects.toThrow();

    const dm = await world.dm(gp);
    expect(await world.ask(gp, dm, "!mes-patients")).toMatch(new RegExp(`${code} · plaie pied diabétique — clos le`));
    expect(await world.ask(kine, await world.dm(kine), `!rouvrir ${code}`)).toContain("Seuls les gestionnaires");
    expect(await world.ask(gp, dm, `!rouvrir ${code}`)).toContain(`Cas ${code} rouvert`);
    await until("writable again", 15_000, () => state(EventType.RoomPowerLevels)?.["events_default"] === 0);
    expect(state("m.room.retention")).toEqual({});
    await nurse.sendText(caseRoom, "pansement refait ce matin");
    expect(await world.ask(gp, dm, "!mes-patients")).toMatch(new RegExp(`${code} · plaie pied diabétique — en cours`));
  });

  it("names a member without a directory entry by their display name; they too can read the fiche", async () => {
    const invited = await world.ask(gp, caseRoom, `!inviter ${world.coordinator.userId}`);
    expect(invited).toContain("✅ Coordination");
    expect(invited).not.toContain("@");
    await joinedRoomNamed(world.coordinator, code);
    await until("the coordinator reads the pinned fiche", 30_000, async () => (await pinnedText(world.coordinator, caseRoom))?.includes("DUPONT Jeanne") === true);
  });

  it("kill -9 in the middle of a creation: one room, each member invited once, the answer given after the restart", async () => {
    const dm = await world.dm(gp);
    const before = world.dbGet<{ n: number }>("SELECT COUNT(*) AS n FROM care_cases").n;
    const commandId = await gp.sendText(dm, `!patient retour à domicile ${kine.userId}`);
    await until("the case is recorded", 20_000, () => world.dbGet<{ n: number }>("SELECT COUNT(*) AS n FROM care_cases").n > before);
    await world.bot.kill9();
    await world.restart();
    const reply = await gp.waitForMessage(dm, (e) => e.getSender() === world.setup.userId && JSON.stringify(e.getContent()).includes(commandId));
    const newCode = CASE_CODE.exec(body(reply))![0];
    const room = await joinedRoomNamed(kine, newCode);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(world.dbGet<{ n: number }>("SELECT COUNT(*) AS n FROM care_cases").n).toBe(before + 1);
    expect(kine.client.getRooms().filter((r) => r.name.includes(newCode))).toHaveLength(1);
    const invitations = seenBy(kine).filter((e) => e.getRoomId() === room && e.getType() === "m.room.member" && e.getStateKey() === kine.userId && e.getContent()["membership"] === "invite");
    expect(invitations).toHaveLength(1);
  });
});
