// Where received mail goes, against the real servers, with a token-authenticated mailbox:
// the professional it is addressed to (directory extract → linked member → the bridge's DM),
// a case room linked by `!dossier` to the patient's INS (X-MSS-INS header or IHE XDM
// METADATA.XML) or to a case tag (subject or sub-address); a closed case stops receiving.
import { join } from "node:path";
import { Preset, RoomMemberEvent, Visibility, type MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { startBotProcess, type BotProcess } from "./helpers/bot-process.ts";
import { insertPeople } from "./helpers/directory-rows.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { startMailWorld, type MailWorld, joinTriageRoom } from "./helpers/mail-bridge.ts";
import { dischargeLetter, PATIENT, plainLetter } from "./helpers/mail-fixtures.ts";
import { until } from "./helpers/until.ts";
import { createTestUser } from "./helpers/users.ts";

const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");
const DR_ADDRESS = "paul.durand@medecin.mssante.test";

describe("MSSanté bridge: routing", () => {
  let world: MailWorld;
  let bot: BotProcess;
  let coordinator: ElementClient;
  let doctor: ElementClient;
  let caseRoom: string;

  const fromBridge = (predicate: (e: MatrixEvent) => boolean) => (e: MatrixEvent) => e.getSender() === world.setup.userId && predicate(e);

  async function command(roomId: string, text: string): Promise<string> {
    const id = await doctor.sendText(roomId, text);
    return body(await doctor.waitForMessage(roomId, fromBridge((e) => JSON.stringify(e.getContent()).includes(id))));
  }

  beforeAll(async () => {
    const coordinatorUser = await createTestUser("coordination");
    const doctorUser = await createTestUser("mg", { displayName: "Dr Paul Durand" });
    world = await startMailWorld({ coordinators: [coordinatorUser.userId], auth: "token" });
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
    insertPeople(db, [{ rpps: "10009998887", lastName: "Durand", firstName: "Paul", profession: "Médecin" }]);
    const person = db.prepare("SELECT id, national_id FROM directory_people WHERE identifier = '10009998887'").get() as { id: number; national_id: string };
    db.prepare("INSERT INTO directory_mssante (person_id, address, box_type, active, changed_import_id) VALUES (?, ?, 'PER', 1, 1)").run(person.id, DR_ADDRESS);
    db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'test')").run(doctorUser.userId, person.national_id);
    db.prepare("INSERT INTO verified_members (user_id, verified_at, verified_by, active) VALUES (?, 0, 'test', 1)").run(doctorUser.userId);
    db.close();
    bot = await startBotProcess(world.setup);
    coordinator = await createElementClient(coordinatorUser);
    doctor = await createElementClient(doctorUser);
    doctor.client.on(RoomMemberEvent.Membership, (_e, member) => {
      if (member.userId === doctorUser.userId && member.membership === "invite") void doctor.client.joinRoom(member.roomId).catch(() => {});
    });
  });

  afterAll(async () => {
    await Promise.all([coordinator, doctor].filter(Boolean).map((c) => c.stop()));
    await bot?.stop();
    await world?.dispose();
  });

  it("sends mail addressed to a member's MSSanté address to the bridge's DM with them", async () => {
    await world.deliver(plainLetter({ to: DR_ADDRESS, messageId: "pour-durand-1@medecin.mssante.test", subject: "Avis pour Mme Exemple" }));
    await until("the doctor joined a DM with the bridge", 30_000, () =>
      doctor.client.getRooms().some((r) => r.getMyMembership() === "join" && r.getMember(world.setup.userId)?.membership === "join"),
    );
    const dm = doctor.client.getRooms().find((r) => r.getMember(world.setup.userId)?.membership === "join")!.roomId;
    const mail = await doctor.waitForMessage(dm, fromBridge((e) => body(e).includes("Objet : Avis pour Mme Exemple")));
    expect(mail.isEncrypted()).toBe(true);
  });

  it("files mail about a patient in the case room linked to the INS, from the header or the XDM package", async () => {
    caseRoom = await doctor.createRoom({ preset: Preset.PrivateChat, visibility: Visibility.Private, invite: [world.setup.userId], initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }] });
    await doctor.waitForJoin(caseRoom, world.setup.userId);
    expect(await command(caseRoom, "!dossier ins 12345")).toContain("15 chiffres");
    expect(await command(caseRoom, `!dossier ins ${PATIENT.ins}`)).toContain("arriveront dans ce salon");
    await world.deliver(await dischargeLetter({ messageId: "sortie-routage-1@ch-valmont.mssante.test" }));
    const xdm = await doctor.waitForMessage(caseRoom, fromBridge((e) => body(e).includes("Lettre de liaison de sortie")));
    expect(body(xdm)).toContain("Classé dans ce dossier par l'identifiant du patient");
    await world.deliver(plainLetter({ messageId: "ins-entete-1@medecin.mssante.test", subject: "Bilan sanguin", extraHeaders: [`X-MSS-INS: ${PATIENT.ins}`] }));
    await doctor.waitForMessage(caseRoom, fromBridge((e) => body(e).includes("Objet : Bilan sanguin")));
  });

  it("files mail carrying the case tag in its subject or sub-address, until the case is closed", async () => {
    expect(await command(caseRoom, "!dossier etiquette 7F3K")).toContain("+7f3k@");
    await world.deliver(plainLetter({ messageId: "tag-sujet-1@medecin.mssante.test", subject: "[CAS 7F3K] Résultats" }));
    await doctor.waitForMessage(caseRoom, fromBridge((e) => body(e).includes("Objet : [CAS 7F3K] Résultats")));
    const [local, domain] = world.mailbox.split("@");
    await world.deliver(plainLetter({ to: `${local}+7f3k@${domain}`, messageId: "tag-adresse-1@medecin.mssante.test", subject: "Compte rendu de passage" }));
    await doctor.waitForMessage(caseRoom, fromBridge((e) => body(e).includes("Objet : Compte rendu de passage")));
    expect(await command(caseRoom, "!dossier voir")).toContain("1 patient(s) et des étiquettes : 7F3K");
    expect(await command(caseRoom, "!dossier fermer")).toContain("2 lien(s) retiré(s)");
    const triageRoom = await joinTriageRoom(world, coordinator);
    await world.deliver(plainLetter({ messageId: "tag-apres-1@medecin.mssante.test", subject: "[CAS 7F3K] Après fermeture" }));
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Objet : [CAS 7F3K] Après fermeture")));
  });
});
