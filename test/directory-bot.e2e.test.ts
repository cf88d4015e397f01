// The directory bot on the real Synapse: a professional asks to join with their RPPS, a
// coordinator approves or refuses with one tap, members land in the community rooms, and a
// removed member leaves them.
import { join } from "node:path";
import { EventType, type MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { registerUser } from "../scripts/lib/synapse-admin.ts";
import { openDatabase } from "../bots/database.ts";
import { prepareBot, startBotProcess, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { insertPeople } from "./helpers/directory-rows.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { createTestUser } from "./helpers/users.ts";
import { until } from "./helpers/until.ts";

const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");
/** Unique per run: the account named after it ("ps8" + RPPS) is created on the shared test server. */
const IDENTITY_RPPS = `1${String(Date.now()).slice(-10)}`;

describe("directory bot: membership", () => {
  let setup: BotSetup;
  let bot: BotProcess;
  let coordinator: ElementClient;
  let gp: ElementClient;
  let nurse: ElementClient;
  let coordinationRoom: string;
  let gpDm: string;
  let nurseDm: string;

  const communityRoom = (key: string): string => {
    const db = openDatabase(join(setup.dataDir, "bots.db"));
    try {
      return (db.prepare("SELECT room_id FROM community_rooms WHERE key = ?").get(key) as { room_id: string }).room_id;
    } finally {
      db.close();
    }
  };

  const myMembership = (client: ElementClient, roomId: string): string | undefined => client.client.getRoom(roomId)?.getMyMembership();

  async function ask(client: ElementClient, roomId: string, text: string): Promise<MatrixEvent> {
    const id = await client.sendText(roomId, text);
    return client.waitForMessage(roomId, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(id));
  }

  beforeAll(async () => {
    const coordinatorUser = await createTestUser("coordination", { displayName: "Camille Martin" });
    setup = await prepareBot({
      botId: "annuaire",
      acceptFrom: "local-users",
      cpts: { coordinators: [coordinatorUser.userId] },
    });
    const db = openDatabase(join(setup.dataDir, "bots.db"));
    insertPeople(db, [
      { rpps: "10001234567", lastName: "Lefèvre", firstName: "Anne", profession: "Médecin", skills: ["Médecine Générale"], commune: "Douai" },
      { rpps: "10007654321", lastName: "O'Neil", firstName: "Marc", profession: "Infirmier", commune: "Sin-le-Noble" },
      { rpps: IDENTITY_RPPS, lastName: "Moreau", firstName: "Thomas", profession: "Masseur-Kinésithérapeute", commune: "Douai" },
    ]);
    db.close();
    bot = await startBotProcess(setup);
    coordinator = await createElementClient(coordinatorUser);
    coordinationRoom = communityRoom("coordination");
    await until("the coordinator's invitation", 30_000, () => coordinator.joinRoom(coordinationRoom).then(() => true, () => false));
    gp = await createElementClient(await createTestUser("mg", { displayName: "Dr Anne LEFEVRE" }));
    nurse = await createElementClient(await createTestUser("ide", { displayName: "Toto" }));
  });

  afterAll(async () => {
    await Promise.all([coordinator, gp, nurse].filter(Boolean).map((c) => c.stop()));
    await bot?.stop();
  });

  it("turns a GP's request into one-tap approval, a welcome, and the GP, general and Space invitations", async () => {
    const dm = await gp.createEncryptedDm(setup.userId);
    gpDm = dm;
    await gp.waitForJoin(dm, setup.userId);
    expect(body(await ask(gp, dm, "!inscription"))).toContain("Indiquez votre numéro RPPS");
    expect(body(await ask(gp, dm, "!inscription 123"))).toContain("11 chiffres");
    expect(body(await ask(gp, dm, "!inscription 99999999999"))).toContain("Je ne trouve pas");
    expect(body(await ask(gp, dm, "!inscription 100 0123 4567"))).toContain("transmise à la coordination");
    expect(body(await ask(gp, dm, "!inscription 10001234567"))).toContain("attend déjà");

    const request = await coordinator.waitForMessage(coordinationRoom, (e) => body(e).includes("10001234567"));
    expect(body(request)).toContain("Le nom affiché correspond");
    expect(request.isEncrypted()).toBe(true);
    await coordinator.sendEvent(coordinationRoom, EventType.Reaction, { "m.relates_to": { rel_type: "m.annotation", event_id: request.getId(), key: "✅" } });

    const welcome = await gp.waitForMessage(dm, (e) => e.getSender() === setup.userId && body(e).includes("Bienvenue")).catch((err: Error) => {
      throw new Error(`${err.message}\n${bot.output().split("\n").filter((l) => /"level":(40|50|60)|reaction|handled/.test(l)).slice(-15).join("\n")}`);
    });
    expect(body(welcome)).toContain("Médecins généralistes");
    await coordinator.waitForMessage(coordinationRoom, (e) => body(e).includes("validée par"));
    for (const key of ["space", "general", "profession:mg"]) {
      await until(`the GP invited to ${key}`, 30_000, () => myMembership(gp, communityRoom(key)) === "invite");
    }
    expect(body(await ask(gp, dm, "!inscription 10001234567"))).toContain("déjà vérifié");
  });

  it("flags a display name that differs from the directory, and tells a refused professional", async () => {
    const dm = await nurse.createEncryptedDm(setup.userId);
    nurseDm = dm;
    await nurse.waitForJoin(dm, setup.userId);
    await ask(nurse, dm, "!inscription 10007654321");
    const request = await coordinator.waitForMessage(coordinationRoom, (e) => body(e).includes("10007654321"));
    expect(body(request)).toContain("⚠️");
    await coordinator.sendEvent(coordinationRoom, EventType.Reaction, { "m.relates_to": { rel_type: "m.annotation", event_id: request.getId(), key: "❌" } });
    await nurse.waitForMessage(dm, (e) => e.getSender() === setup.userId && body(e).includes("n'a pas été validée"));
    await coordinator.sendEvent(coordinationRoom, EventType.Reaction, { "m.relates_to": { rel_type: "m.annotation", event_id: request.getId(), key: "👍" } });
    await coordinator.waitForMessage(coordinationRoom, (e) => body(e).includes("déjà été traitée"));
    expect(body(await ask(nurse, dm, "!membre retirer @x:y"))).toContain("réservée à la coordination");
  });

  it("approves at once an account named after its national identifier, as Pro Santé Connect signs in to", async () => {
    const password = "psc-test-password";
    const { userId } = await registerUser(inject("synapse"), { localpart: `ps8${IDENTITY_RPPS}`, password, displayName: "Thomas Moreau" });
    const kine = await createElementClient({ userId, localpart: `ps8${IDENTITY_RPPS}`, password });
    try {
      const dm = await kine.createEncryptedDm(setup.userId);
      await kine.waitForJoin(dm, setup.userId);
      expect(body(await ask(kine, dm, "!inscription"))).toContain("votre compte est vérifié");
      await coordinator.waitForMessage(coordinationRoom, (e) => body(e).includes("validée automatiquement") && body(e).includes(userId));
      await until("the kiné invited to the kinés' room", 30_000, () => myMembership(kine, communityRoom("profession:kines")) === "invite");
    } finally {
      await kine.stop();
    }
  });

  it("lets a member complete their card, by command and guided with plain answers", async () => {
    expect(body(await ask(gp, gpDm, "!profil langues anglais, arabe"))).toContain("Langues parlées : en, ar");
    expect(body(await ask(gp, gpDm, "!profil guide"))).toContain("compétences");
    const answer = async (text: string, expected: string): Promise<void> => {
      const id = await gp.sendText(gpDm, text);
      const reply = await gp.waitForMessage(gpDm, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(id));
      expect(body(reply)).toContain(expected);
    };
    await answer("plaies chroniques, diabète", "langues");
    await answer("passer", "équipements");
    await answer("ECG", "Comment prenez-vous en charge");
    await answer("fin", "on s'arrête là");
    const card = body(await ask(gp, gpDm, "!profil"));
    expect(card).toContain("Compétences : plaies chroniques, diabète");
    expect(card).toContain("Équipements : ecg");
    // Once the guide is closed, a plain message is ordinary chat again: no answer.
    const chat = await gp.sendText(gpDm, "merci !");
    await ask(gp, gpDm, "!ping-inexistant");
    const answers = gp.client.getRoom(gpDm)!.getLiveTimeline().getEvents().filter((e) => JSON.stringify(e.getContent()).includes(chat) && e.getSender() === setup.userId);
    expect(answers).toEqual([]);
  });

  it("finds colleagues nearby with !annuaire, pages with « suite », and keeps the directory for members", async () => {
    const ide = body(await ask(gp, gpDm, "!annuaire IDE Sin-le-Noble"));
    expect(ide).toContain("O'Neil");
    expect(ide).not.toContain("Lefèvre");
    const gps = body(await ask(gp, gpDm, "!annuaire médecin généraliste"));
    expect(gps).toContain("Lefèvre");
    expect(body(await ask(gp, gpDm, "!annuaire"))).toMatch(/recherche|cherchez/i);
    expect(body(await ask(gp, gpDm, `!annuaire ${"kiné ".repeat(2_000)}`)).length).toBeLessThan(2_000);
    expect(body(await ask(gp, gpDm, '!annuaire "kiné" OR 1=1; --'))).toBeTruthy();
    expect(body(await ask(nurse, nurseDm, "!annuaire kiné"))).toContain("réservé aux membres vérifiés");
  });

  it("removes a member from the community rooms when a coordinator asks", async () => {
    const dm = await coordinator.createEncryptedDm(setup.userId);
    await coordinator.waitForJoin(dm, setup.userId);
    expect(body(await ask(coordinator, dm, `!membre retirer ${nurse.userId}`))).toContain("n'est pas un membre vérifié");
    expect(body(await ask(coordinator, dm, `!membre retirer ${gp.userId}`))).toContain("n'est plus membre vérifié");
    for (const key of ["space", "general", "profession:mg"]) {
      await until(`the GP out of ${key}`, 30_000, () => myMembership(gp, communityRoom(key)) === "leave");
    }
    await gp.waitForMessage(gpDm, (e) => e.getSender() === setup.userId && body(e).includes("n'est plus membre vérifié"));
  });
});
