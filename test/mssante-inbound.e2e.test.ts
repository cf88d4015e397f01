// The MSSanté bridge reading a real Dovecot (certificate-only mailbox, IMAP IDLE) into the
// real Synapse: each synthetic mail lands once, encrypted, in the right place, with its
// attachments, and is marked processed in the mailbox only after Matrix has all of it.
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { decryptAttachment } from "matrix-encrypt-attachment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { startBotProcess, type BotProcess } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { startMailWorld, type MailWorld } from "./helpers/mail-bridge.ts";
import { dischargeLetter, fixturePdf, htmlWithScript, latin1Letter, plainLetter, replyWithPdf, zipWithTraversal } from "./helpers/mail-fixtures.ts";
import { until } from "./helpers/until.ts";
import { createTestUser } from "./helpers/users.ts";

const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");
const relation = (e: MatrixEvent): { rel_type?: string; event_id?: string; "m.in_reply_to"?: { event_id?: string } } =>
  (e.getContent()["m.relates_to"] ?? {}) as never;

describe("MSSanté bridge: received mail", () => {
  let world: MailWorld;
  let bot: BotProcess;
  let coordinator: ElementClient;
  let triageRoom: string;

  const roomOf = (key: string): string | undefined => {
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
    try {
      return (db.prepare("SELECT room_id FROM mssante_rooms WHERE key = ?").get(key) as { room_id: string } | undefined)?.room_id;
    } finally {
      db.close();
    }
  };

  async function download(event: MatrixEvent): Promise<Buffer> {
    const file = event.getContent()["file"] as { url: string };
    const url = coordinator.client.mxcUrlToHttp(file.url, undefined, undefined, undefined, false, true, true)!;
    const response = await fetch(url, { headers: { authorization: `Bearer ${coordinator.client.getAccessToken()}` } });
    return Buffer.from(await decryptAttachment(await response.arrayBuffer(), file as never));
  }

  const fromBridge = (predicate: (e: MatrixEvent) => boolean) => (e: MatrixEvent) => e.getSender() === world.setup.userId && predicate(e);

  beforeAll(async () => {
    const coordinatorUser = await createTestUser("coordination", { displayName: "Camille Coordination" });
    world = await startMailWorld({ coordinators: [coordinatorUser.userId] });
    bot = await startBotProcess(world.setup);
    coordinator = await createElementClient(coordinatorUser);
    await until("triage room created", 30_000, () => roomOf("triage") !== undefined);
    triageRoom = roomOf("triage")!;
    await until("the coordinator's invitation", 30_000, () => coordinator.joinRoom(triageRoom).then(() => true, () => false));
  });

  afterAll(async () => {
    await coordinator?.stop();
    await bot?.stop();
    await world?.dispose();
  });

  it("carries a plain letter to the triage room, with its original .eml, and only then marks it processed", async () => {
    await world.deliver(plainLetter({ messageId: "lettre-e2e-1@medecin.mssante.test" }));
    const letter = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Mme Exemple — suivi à domicile")));
    expect(letter.isEncrypted()).toBe(true);
    expect(body(letter)).toContain("œdèmes");
    expect(body(letter)).toContain("De : Dr Alice Martin-Lefort <alice.martin-lefort@medecin.mssante.test>");
    const eml = await coordinator.waitForMessage(triageRoom, fromBridge((e) => relation(e).event_id === letter.getId() && body(e) === "courriel-original.eml"));
    expect(eml.getContent()["info"]).toMatchObject({ mimetype: "message/rfc822" });
    expect((await download(eml)).toString()).toContain("Message-ID: <lettre-e2e-1@medecin.mssante.test>");
    await until("mail moved to Processed", 15_000, () => {
      const counts = world.folderCounts();
      return counts["INBOX"] === 0 && counts["Processed"] === 1;
    });
  });

  it("threads a reply under the letter it answers; its PDF decrypts to the bytes that were sent", async () => {
    const pdf = fixturePdf("Fiche de surveillance", 2048);
    await world.deliver(replyWithPdf({ messageId: "reponse-e2e-1@infirmier.mssante.test", inReplyTo: "lettre-e2e-1@medecin.mssante.test", pdf }));
    const letter = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Objet : Mme Exemple — suivi à domicile") && !body(e).includes("Re:")));
    const reply = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Re: Mme Exemple")));
    expect(relation(reply)).toMatchObject({ rel_type: "m.thread", event_id: letter.getId(), "m.in_reply_to": { event_id: letter.getId() } });
    const attachment = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e) === "fiche-surveillance.pdf"));
    expect(relation(attachment)).toMatchObject({ rel_type: "m.thread", event_id: letter.getId() });
    expect((await download(attachment)).equals(pdf)).toBe(true);
  });

  it("unpacks a discharge letter's IHE XDM package, checked against METADATA.XML", async () => {
    await world.deliver(await dischargeLetter({ messageId: "sortie-e2e-1@ch-valmont.mssante.test" }));
    const mail = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Lettre de liaison de sortie")));
    expect(body(mail)).toContain("2 document(s) vérifié(s)");
    expect(body(mail)).toContain("• DOC0001.XML — Lettre de liaison de sortie (LOINC 11490-0) : « Lettre de liaison de sortie »");
    const cda = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e) === "DOC0001.XML" && relation(e).event_id === mail.getId()));
    expect((await download(cda)).toString()).toContain("<ClinicalDocument");
  });

  it("shows HTML without script, handlers or remote images, and does not open a zip with a traversal entry", async () => {
    await world.deliver(htmlWithScript({ messageId: "html-e2e-1@infirmier.mssante.test" }));
    const html = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Planning des passages")));
    const formatted = String(html.getContent()["formatted_body"]);
    expect(formatted).toContain("<b>planning</b>");
    expect(formatted).not.toMatch(/<script|onclick|iframe|tracker\.example|<img|javascript:/);
    await world.deliver(zipWithTraversal({ messageId: "piege-e2e-1@ch-valmont.mssante.test" }));
    const trap = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Objet : Documents")));
    expect(body(trap)).toContain("non ouverte (chemin de fichier dangereux)");
  });

  it("decodes an ISO-8859-1 mail", async () => {
    await world.deliver(latin1Letter({ messageId: "latin1-e2e-1@ch-valmont.mssante.test" }));
    const mail = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("Résultats d'échographie")));
    expect(body(mail)).toContain("Chère consoeur");
    expect(body(mail)).toContain("À revoir dans 6 mois");
  });

  it("has marked every mail processed, and posted each exactly once", async () => {
    await until("all mails processed", 20_000, () => world.folderCounts()["INBOX"] === 0);
    expect(world.folderCounts()["Processed"]).toBe(6);
    const mains = coordinator.client
      .getRoom(triageRoom)!
      .getLiveTimeline()
      .getEvents()
      .filter((e) => e.getSender() === world.setup.userId && e.getContent()["org.cpts.mssante.mail"]);
    const ids = mains.map((e) => (e.getContent()["org.cpts.mssante.mail"] as { messageId: string }).messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
