// Mail written in Matrix leaves by SMTP submission from the CPTS mailbox: replies in a
// bridged mail's thread and `!mail`, with threading headers, attachments, the MSSanté
// patient header for CDA documents; deferred (4xx) mail is retried from the outbox,
// refused (5xx) mail is reported; bounces and read receipts come back on the message.
import type { MatrixEvent } from "matrix-js-sdk";
import { simpleParser } from "mailparser";
import { encryptAttachment } from "matrix-encrypt-attachment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readXdmPackage } from "../bridges/mssante/xdm/unpack.ts";
import { startBotProcess, type BotProcess } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { startMailWorld, type MailWorld, joinTriageRoom } from "./helpers/mail-bridge.ts";
import { deliveryFailure, fixtureCda, fixturePdf, PEOPLE, plainLetter, readReceipt, replyWithPdf } from "./helpers/mail-fixtures.ts";
import { until } from "./helpers/until.ts";
import { createTestUser } from "./helpers/users.ts";

const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");
const threadOf = (e: MatrixEvent): string | undefined => (e.getContent()["m.relates_to"] as { event_id?: string } | undefined)?.event_id;

describe("MSSanté bridge: mail sent from Matrix", () => {
  let world: MailWorld;
  let bot: BotProcess;
  let coordinator: ElementClient;
  let triageRoom: string;

  const fromBridge = (predicate: (e: MatrixEvent) => boolean) => (e: MatrixEvent) => e.getSender() === world.setup.userId && predicate(e);
  const inThread = (root: string) => ({ rel_type: "m.thread", event_id: root, is_falling_back: true, "m.in_reply_to": { event_id: root } });

  async function sendFile(roomId: string, root: string, fileName: string, mimetype: string, data: Buffer): Promise<string> {
    const encrypted = await encryptAttachment(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
    const upload = await coordinator.client.uploadContent(Buffer.from(encrypted.data), { type: "application/octet-stream", includeFilename: false });
    return coordinator.sendEvent(roomId, "m.room.message", {
      msgtype: "m.file",
      body: fileName,
      filename: fileName,
      info: { mimetype, size: data.length },
      file: { ...encrypted.info, url: upload.content_uri, mimetype },
      "m.relates_to": inThread(root),
    });
  }

  async function bridgedLetter(messageId: string, subject: string): Promise<MatrixEvent> {
    await world.deliver(plainLetter({ messageId, subject }));
    return coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes(`Objet : ${subject}`)));
  }

  async function submittedWith(messageIdPrefix: (id: string) => boolean) {
    await until("mail submitted", 20_000, async () => {
      for (const s of world.submission.submitted) if (messageIdPrefix((await simpleParser(s.raw)).messageId ?? "")) return true;
      return false;
    });
    for (const s of world.submission.submitted) {
      const parsed = await simpleParser(s.raw);
      if (messageIdPrefix(parsed.messageId ?? "")) return { submitted: s, parsed };
    }
    throw new Error("unreachable");
  }

  beforeAll(async () => {
    const coordinatorUser = await createTestUser("coordination", { displayName: "Camille Coordination" });
    world = await startMailWorld({ coordinators: [coordinatorUser.userId] });
    bot = await startBotProcess(world.setup);
    coordinator = await createElementClient(coordinatorUser);
    triageRoom = await joinTriageRoom(world, coordinator);
  });

  afterAll(async () => {
    await coordinator?.stop();
    await bot?.stop();
    await world?.dispose();
  });

  it("sends a thread reply (text and PDF together) as one answer, with In-Reply-To and References, and says when it left", async () => {
    const letter = await bridgedLetter("lettre-out-1@medecin.mssante.test", "Mme Exemple — retour à domicile");
    await coordinator.sendEvent(triageRoom, "m.room.message", { msgtype: "m.text", body: "Bien reçu, passage IDE organisé.", "m.relates_to": inThread(letter.getId()!) });
    const pdf = fixturePdf("Plan de soins", 1024);
    await sendFile(triageRoom, letter.getId()!, "plan-de-soins.pdf", "application/pdf", pdf);
    const { submitted, parsed } = await submittedWith((id) => id.startsWith("<matrix.") && id.length > 0);
    expect(submitted.from).toBe(world.mailbox);
    expect(submitted.to).toEqual([PEOPLE.gp.address]);
    expect(submitted.authenticatedAs).toBe(world.mailbox);
    expect(parsed.subject).toBe("Re: Mme Exemple — retour à domicile");
    expect(parsed.inReplyTo).toBe("<lettre-out-1@medecin.mssante.test>");
    expect(parsed.references).toBe("<lettre-out-1@medecin.mssante.test>");
    expect(parsed.from?.text).toContain("Camille Coordination — CPTS Grand Douai");
    expect(parsed.text).toContain("Bien reçu, passage IDE organisé.");
    expect(parsed.attachments.map((a) => a.filename)).toEqual(["plan-de-soins.pdf"]);
    expect(parsed.attachments[0]!.content.equals(pdf)).toBe(true);
    const left = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("📤 Courriel parti")));
    expect(threadOf(left)).toBe(letter.getId());
    expect(world.submission.submitted).toHaveLength(1);
    await until("delivered to the correspondent's mailbox", 15_000, async () => {
      const received = await Promise.all((await world.readInbox(PEOPLE.gp.address)).map((raw) => simpleParser(raw)));
      return received.some((mail) => mail.messageId === parsed.messageId);
    });
  });

  it("answers the mail a member replies to inside a thread (Element's reply to one message), not the thread's latest from another sender", async () => {
    const first = await bridgedLetter("lettre-out-4@medecin.mssante.test", "Mme Exemple — pansements");
    await world.deliver(replyWithPdf({ messageId: "reponse-out-4@infirmier.mssante.test", inReplyTo: "lettre-out-4@medecin.mssante.test" }));
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes(PEOPLE.nurse.address) && threadOf(e) === first.getId()));
    const before = world.submission.submitted.length;
    // What Element sends for "Reply" on one message of a thread: not a fallback.
    await coordinator.sendEvent(triageRoom, "m.room.message", {
      msgtype: "m.text",
      body: "Docteur, les pansements commencent jeudi.",
      "m.relates_to": { rel_type: "m.thread", event_id: first.getId()!, is_falling_back: false, "m.in_reply_to": { event_id: first.getId()! } },
    });
    await until("submitted", 20_000, () => world.submission.submitted.length > before);
    const submitted = world.submission.submitted.at(-1)!;
    const parsed = await simpleParser(submitted.raw);
    expect(submitted.to).toEqual([PEOPLE.gp.address]);
    expect(parsed.inReplyTo).toBe("<lettre-out-4@medecin.mssante.test>");
    expect(parsed.references).toBe("<lettre-out-4@medecin.mssante.test>");
    expect(parsed.text).toContain("les pansements commencent jeudi");
  });

  it("sends `!mail <address> <text>`, packs a CDA in an IHE XDM zip with X-MSS-INS, and shows a bounce and a read receipt on it", async () => {
    const before = world.submission.submitted.length;
    const command = await coordinator.sendText(triageRoom, "!mail dr.nouveau@medecin.mssante.test Bonjour, voici la lettre de liaison.");
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("✉️ Courriel pour dr.nouveau@medecin.mssante.test")));
    await sendFile(triageRoom, command, "lettre.xml", "text/xml", fixtureCda());
    await until("submitted", 20_000, () => world.submission.submitted.length > before);
    const parsed = await simpleParser(world.submission.submitted.at(-1)!.raw);
    expect(parsed.subject).toBe("Message de Camille Coordination");
    expect(parsed.headers.get("x-mss-ins")).toBe("290017512345612");
    expect(parsed.attachments.map((a) => a.filename)).toEqual(["IHE_XDM.ZIP"]);
    expect(await readXdmPackage(parsed.attachments[0]!.content)).toMatchObject({ kind: "package", patientIds: ["290017512345612"], problems: [] });
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("📤 Courriel parti") && threadOf(e) === command));

    const sentId = parsed.messageId!.replace(/^<|>$/g, "");
    await world.deliver(deliveryFailure({ originalMessageId: sentId, failedRecipient: "dr.nouveau@medecin.mssante.test" }));
    const bounce = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("📭 Non remis à dr.nouveau@medecin.mssante.test")));
    expect(threadOf(bounce)).toBe(command);
    await world.deliver(readReceipt({ originalMessageId: sentId, reader: "dr.nouveau@medecin.mssante.test" }));
    const read = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e) === "👁️ Lu par dr.nouveau@medecin.mssante.test."));
    expect(threadOf(read)).toBe(command);
  });

  it("retries a deferred mail (4xx) from the outbox until it leaves", async () => {
    const letter = await bridgedLetter("lettre-out-2@medecin.mssante.test", "Report de rendez-vous");
    const before = world.submission.submitted.length;
    world.submission.failNext({ code: 451, message: "4.3.2 Service temporairement indisponible", stage: "mail" }, 2);
    await coordinator.sendEvent(triageRoom, "m.room.message", { msgtype: "m.text", body: "Nouveau créneau jeudi 10 h.", "m.relates_to": inThread(letter.getId()!) });
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("⏳ Le serveur MSSanté a différé l'envoi (451")));
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("📤 Courriel parti") && threadOf(e) === letter.getId()), 30_000);
    expect(world.submission.submitted.length).toBe(before + 1);
  });

  it("reports a refused mail (5xx) in the room", async () => {
    const letter = await bridgedLetter("lettre-out-3@medecin.mssante.test", "Adresse périmée");
    world.submission.failNext({ code: 550, message: "5.1.1 Boîte aux lettres inconnue", stage: "rcpt" });
    await coordinator.sendEvent(triageRoom, "m.room.message", { msgtype: "m.text", body: "Merci.", "m.relates_to": inThread(letter.getId()!) });
    const refused = await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).startsWith("❌ Courriel non envoyé")));
    expect(body(refused)).toContain("550");
    expect(threadOf(refused)).toBe(letter.getId());
  });

  it("refuses `!mail` to something that is not an address", async () => {
    await coordinator.sendText(triageRoom, "!mail docteur-martin bonjour");
    await coordinator.waitForMessage(triageRoom, fromBridge((e) => body(e).includes("« docteur-martin » n'est pas une adresse de messagerie")));
  });
});
