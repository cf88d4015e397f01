import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../bots/database.ts";
import { createLogger } from "../../../bots/core/logger.ts";
import { fixtureMail } from "../../../test/fixtures/mssante/fixture-files.ts";
import type { EncryptedFile } from "../matrix/contents.ts";
import type { Route, RoutingLookups } from "../routing/route.ts";
import { InboundLedger } from "../store/inbound-ledger.ts";
import { MailThreads } from "../store/mail-threads.ts";
import { fixturePdf, plainLetter, replyWithPdf } from "../../../test/helpers/mail-fixtures.ts";
import { InboundProcessor, identityOf, type InboundMatrix } from "./inbound-processor.ts";
import type { PlannedFile } from "./mail-plan.ts";

interface Sent {
  roomId: string;
  content: Record<string, unknown>;
  key: string;
  eventId: string;
}

class FakeMatrix implements InboundMatrix {
  readonly sent: Sent[] = [];
  readonly byKey = new Map<string, string>();
  failAfter = Infinity;
  /** Whether this send fails (the homeserver unreachable for it). */
  failsFor: (key: string) => boolean = () => false;
  /** How long a send takes, by idempotency key (the homeserver answers out of order). */
  sendDelayMs: (key: string) => number = () => 0;
  /** A send that waits until the test lets it through, by idempotency key. */
  holdSend: (key: string) => Promise<void> | undefined = () => undefined;
  /** Sends asked, by idempotency key (a resend of an accepted event would show here). */
  readonly asked = new Map<string, number>();
  readonly log: string[] = [];
  uploadLimit = 10 * 1024 * 1024;
  async uploadLimitBytes() {
    return this.uploadLimit;
  }
  async roomFor(route: Route) {
    return route.kind === "thread" ? route.thread.roomId : route.kind === "direct" ? `!dm-${route.userId}` : route.kind === "triage" ? "!triage" : route.roomId;
  }
  async uploadEncrypted(file: PlannedFile): Promise<EncryptedFile> {
    this.log.push(`upload ${file.fileName}`);
    return { url: "mxc://x/y", key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: "k", ext: true }, iv: "iv", hashes: { sha256: "h" }, v: "v2" };
  }
  async send(roomId: string, content: Record<string, unknown>, key: string) {
    this.asked.set(key, (this.asked.get(key) ?? 0) + 1);
    this.log.push(`send ${key}`);
    await new Promise((r) => setTimeout(r, this.sendDelayMs(key)));
    await this.holdSend(key);
    if (this.sent.length >= this.failAfter) throw new Error("homeserver unreachable");
    if (this.failsFor(key)) throw new Error("homeserver unreachable");
    const known = this.byKey.get(key);
    if (known) return known;
    const eventId = `$e${this.sent.length}`;
    this.byKey.set(key, eventId);
    this.sent.push({ roomId, content, key, eventId });
    this.log.push(`sent ${key}`);
    return eventId;
  }
}

const noLinks: RoutingLookups = { threadOf: () => undefined, caseRoomForPatient: () => undefined, caseRoomForTag: () => undefined, memberForAddress: () => undefined };

function setup(lookups: Partial<RoutingLookups> = {}, restartOf?: { db: ReturnType<typeof openDatabase>; matrix: FakeMatrix }) {
  const db = restartOf?.db ?? openDatabase(":memory:");
  const clock = { now: () => 1 };
  const matrix = restartOf?.matrix ?? new FakeMatrix();
  const ledger = new InboundLedger(db, clock);
  const threads = new MailThreads(db, clock);
  const processor = new InboundProcessor({
    ledger,
    threads,
    lookups: { ...noLinks, threadOf: (id) => threads.byMessageId(id, "cpts@x.test"), ...lookups },
    matrix,
    lang: "fr",
    mailboxes: ["cpts@cpts-grand-douai.mssante.test"],
    processedFolder: "Processed",
    logger: createLogger("test", "silent"),
  });
  return { processor, matrix, ledger, threads, db };
}

/** Resolves once `condition` holds (checked on each turn of the event loop). */
async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 1));
  }
}

const at = (uid: number, uidValidity = 1) => ({ mailbox: "cpts@x.test", uidValidity, uid });
/** Processes a mail to the end (message and files). */
function carry(processor: InboundProcessor, location: ReturnType<typeof at>, source: Buffer) {
  return processor.process(location, source);
}

/** A send failure for the first event the predicate picks, and only that one. */
function failingOnce(picks: (key: string) => boolean): (key: string) => boolean {
  let failed = false;
  return (key) => !failed && picks(key) && (failed = true);
}

describe("InboundProcessor", () => {
  it("posts a plain letter to the triage room with its original .eml in the thread", async () => {
    const { processor, matrix } = setup();
    const outcome = await carry(processor, at(1), fixtureMail("plain-letter.eml"));
    expect(outcome.kind).toBe("posted");
    expect(matrix.sent.map((s) => [s.roomId, s.content["msgtype"]])).toEqual([
      ["!triage", "m.text"],
      ["!triage", "m.file"],
    ]);
    const main = matrix.sent[0]!.content;
    expect(main["body"]).toContain("Objet : Mme Exemple — suivi à domicile");
    expect(main["body"]).toContain("œdèmes");
    expect(main["org.cpts.mssante.mail"]).toMatchObject({ messageId: "lettre-1@medecin.mssante.test", from: "alice.martin-lefort@medecin.mssante.test" });
    expect(matrix.sent[1]!.content["m.relates_to"]).toMatchObject({ rel_type: "m.thread", event_id: "$e0" });
    expect(matrix.sent[1]!.content["body"]).toBe("courriel-original.eml");
  });

  it("threads a reply under the mail it answers, with its PDF", async () => {
    const { processor, matrix } = setup();
    await carry(processor, at(1), fixtureMail("plain-letter.eml"));
    await carry(processor, at(2), fixtureMail("reply-with-pdf.eml"));
    const reply = matrix.sent[2]!;
    expect(reply.roomId).toBe("!triage");
    expect(reply.content["m.relates_to"]).toEqual({ rel_type: "m.thread", event_id: "$e0", is_falling_back: false, "m.in_reply_to": { event_id: "$e0" } });
    expect(matrix.sent.slice(3).map((s) => s.content["body"])).toEqual(["fiche-surveillance.pdf", "courriel-original.eml"]);
    expect(matrix.sent[3]!.content["m.relates_to"]).toMatchObject({ event_id: "$e0", "m.in_reply_to": { event_id: "$e2" } });
  });

  it("extracts the verified documents of an IHE XDM package and routes by the patient in METADATA.XML", async () => {
    const { processor, matrix } = setup({ caseRoomForPatient: (id) => (id === "290017512345612" ? "!case" : undefined) });
    await carry(processor, at(1), fixtureMail("discharge-letter-xdm.eml"));
    expect(matrix.sent.every((s) => s.roomId === "!case")).toBe(true);
    expect(matrix.sent.map((s) => s.content["body"]).slice(1)).toEqual(["IHE_XDM.ZIP", "DOC0001.XML", "DOC0002.PDF", "courriel-original.eml"]);
    expect(matrix.sent[0]!.content["body"]).toContain("2 document(s) vérifié(s)");
    expect(matrix.sent[0]!.content["body"]).toContain("• DOC0001.XML — Lettre de liaison de sortie (LOINC 11490-0) : « Lettre de liaison de sortie »");
    expect(matrix.sent[0]!.content["formatted_body"]).toContain("<br>• DOC0002.PDF — Lettre de liaison de sortie (LOINC 11490-0) : « Lettre de liaison (PDF) »");
    expect(matrix.sent[0]!.content["body"]).toContain("Classé dans ce dossier par l'identifiant du patient");
  });

  it("shows sanitised HTML, never the script, and refuses the traversal zip", async () => {
    const { processor, matrix } = setup();
    await carry(processor, at(1), fixtureMail("html-with-script.eml"));
    const html = String(matrix.sent[0]!.content["formatted_body"]);
    expect(html).toContain("<b>planning</b>");
    expect(html).not.toMatch(/script|onclick|iframe|tracker|<img/);
    expect(matrix.sent[0]!.content["body"]).toContain("1 image(s) distante(s) non chargée(s)");
    await carry(processor, at(2), fixtureMail("zip-traversal.eml"));
    expect(matrix.sent.at(-3)!.content["body"]).toContain("non ouverte (chemin de fichier dangereux)");
    expect(matrix.sent.slice(-2).map((s) => s.content["body"])).toEqual(["IHE_XDM.ZIP", "courriel-original.eml"]);
  });

  it("says what could not be carried when a file is above the homeserver's upload limit", async () => {
    const { processor, matrix } = setup();
    matrix.uploadLimit = 500;
    await carry(processor, at(1), fixtureMail("reply-with-pdf.eml"));
    expect(matrix.sent).toHaveLength(1);
    expect(matrix.sent[0]!.content["body"]).toMatch(/Non transmis.*limite 500 o.*fiche-surveillance\.pdf.*courriel-original\.eml.*« Processed »/s);
  });

  it("shows a delivery failure and a read receipt as notices on the original mail", async () => {
    const { processor, matrix, threads } = setup();
    threads.record({ mailbox: "cpts@x.test", messageId: "matrix.sortant1@cpts-grand-douai.mssante.test" as never, roomId: "!dm", eventId: "$out", rootEventId: "$root", direction: "out" });
    await carry(processor, at(1), fixtureMail("dsn.eml"));
    await carry(processor, at(2), fixtureMail("mdn.eml"));
    expect(matrix.sent.map((s) => [s.roomId, s.content["msgtype"]])).toEqual([
      ["!dm", "m.notice"],
      ["!dm", "m.notice"],
    ]);
    expect(matrix.sent[0]!.content["body"]).toMatch(/^📭 Non remis à inconnu@medecin\.mssante\.test \(5\.1\.1 — 550/);
    expect(matrix.sent[1]!.content["body"]).toBe("👁️ Lu par alice.martin-lefort@medecin.mssante.test.");
    expect(matrix.sent[1]!.content["m.relates_to"]).toMatchObject({ event_id: "$root", "m.in_reply_to": { event_id: "$out" } });
  });

  it("sends a report about an unknown mail to triage, with the report itself", async () => {
    const { processor, matrix } = setup();
    await carry(processor, at(1), fixtureMail("dsn.eml"));
    expect(matrix.sent[0]!.roomId).toBe("!triage");
    expect(matrix.sent[0]!.content["body"]).toContain("ne retrouve pas (matrix.sortant1@");
  });

  it("resumes an interrupted mail without posting any event twice, and never posts a posted mail again", async () => {
    const { processor, matrix } = setup();
    matrix.failAfter = 1;
    await expect(carry(processor, at(1), fixtureMail("reply-with-pdf.eml"))).rejects.toThrow("unreachable");
    matrix.failAfter = Infinity;
    expect((await carry(processor, at(1), fixtureMail("reply-with-pdf.eml"))).kind).toBe("posted");
    expect(matrix.sent.map((s) => s.eventId)).toEqual(["$e0", "$e1", "$e2"]);
    const again = await carry(processor, at(5, 2), fixtureMail("reply-with-pdf.eml"));
    expect(again.kind).toBe("already-posted");
    processor.done([again.inboundId]);
    expect((await carry(processor, at(9, 3), fixtureMail("reply-with-pdf.eml"))).kind).toBe("already-done");
    expect(matrix.sent).toHaveLength(3);
  });

  it("routes to the DM of the professional the mail is addressed to", async () => {
    const { processor, matrix } = setup({ memberForAddress: (a) => (a === "cpts@cpts-grand-douai.mssante.test" ? "@dr:cpts" : undefined) });
    await carry(processor, at(1), fixtureMail("plain-letter.eml"));
    expect(matrix.sent[0]!.roomId).toBe("!dm-@dr:cpts");
  });
});

describe("InboundProcessor, several mails at once", () => {
  const mainsOf = (matrix: FakeMatrix) => matrix.sent.filter((s) => s.content["org.cpts.mssante.mail"]).map((s) => (s.content["org.cpts.mssante.mail"] as { messageId: string }).messageId);
  /** The first messages answer slowest, as a busy homeserver may. */
  const slowerFirst = (key: string) => (key.includes("courrier-0@") ? 40 : key.includes("courrier-1@") ? 20 : 0);
  const letters = (n: number) => Array.from({ length: n }, (_, i) => plainLetter({ messageId: `courrier-${i}@medecin.mssante.test`, subject: `Courrier ${i}` }));

  it("posts the messages of one room in arrival order while the files of later mails already upload", async () => {
    const { processor, matrix } = setup();
    matrix.sendDelayMs = slowerFirst;
    const outcomes = await Promise.all(letters(5).map((source, i) => processor.process(at(i + 1), source)));
    expect(outcomes.map((o) => o.kind)).toEqual(["posted", "posted", "posted", "posted", "posted"]);
    expect(mainsOf(matrix)).toEqual([0, 1, 2, 3, 4].map((i) => `courrier-${i}@medecin.mssante.test`));
    // Every mail's original .eml was uploaded before the first message was even accepted.
    const firstSent = matrix.log.findIndex((l) => l.startsWith("sent "));
    expect(matrix.log.slice(0, firstSent).filter((l) => l.startsWith("upload "))).toEqual(Array.from({ length: 5 }, () => "upload courriel-original.eml"));
    for (const main of matrix.sent.filter((s) => s.content["org.cpts.mssante.mail"])) {
      expect(matrix.sent.filter((s) => (s.content["m.relates_to"] as { event_id?: string } | undefined)?.event_id === main.eventId)).toHaveLength(1);
    }
  });

  it("threads a reply under a mail of the same batch whose message is still on its way", async () => {
    const { processor, matrix } = setup();
    matrix.sendDelayMs = slowerFirst;
    const original = plainLetter({ messageId: "courrier-0@medecin.mssante.test", subject: "Courrier 0" });
    const reply = replyWithPdf({ messageId: "reponse@infirmier.mssante.test", inReplyTo: "courrier-0@medecin.mssante.test", pdf: fixturePdf("Fiche", 1000) });
    await Promise.all([processor.process(at(1), original), processor.process(at(2), reply)]);
    const root = matrix.sent.find((s) => (s.content["org.cpts.mssante.mail"] as { messageId?: string } | undefined)?.messageId === "courrier-0@medecin.mssante.test")!;
    const answer = matrix.sent.find((s) => (s.content["org.cpts.mssante.mail"] as { messageId?: string } | undefined)?.messageId === "reponse@infirmier.mssante.test")!;
    expect(answer.content["m.relates_to"]).toMatchObject({ rel_type: "m.thread", event_id: root.eventId });
  });

  it("holds back the later mails of a room when one fails, then carries each exactly once in order", async () => {
    const { processor, matrix, ledger } = setup();
    const sources = letters(4);
    matrix.failsFor = failingOnce((key) => key.includes("courrier-1@") && key.endsWith(":0"));
    const first = await Promise.allSettled(sources.map((source, i) => processor.process(at(i + 1), source)));
    expect(first.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
    expect(mainsOf(matrix)).toEqual(["courrier-0@medecin.mssante.test"]);
    expect(ledger.countByStatus("posted")).toBe(1);
    const again = await Promise.all(sources.map((source, i) => processor.process(at(i + 1), source)));
    expect(again.map((o) => o.kind)).toEqual(["already-posted", "posted", "posted", "posted"]);
    expect(mainsOf(matrix)).toEqual([0, 1, 2, 3].map((i) => `courrier-${i}@medecin.mssante.test`));
    expect(matrix.sent).toHaveLength(8);
  });

  it("refuses a mail that came after a failed one of its room while others are still in flight", async () => {
    const { processor, matrix } = setup();
    const [zero, one, two] = letters(3);
    matrix.failsFor = failingOnce((key) => key.includes("courrier-1@") && key.endsWith(":0"));
    matrix.sendDelayMs = (key) => (key.includes("courrier-0@") && key.endsWith(":1") ? 100 : 0);
    const stillInFlight = processor.process(at(1), zero!);
    await expect(processor.process(at(2), one!)).rejects.toThrow("unreachable");
    await expect(processor.process(at(3), two!)).rejects.toThrow("unreachable");
    expect((await stillInFlight).kind).toBe("posted");
    await processor.process(at(2), one!);
    await processor.process(at(3), two!);
    expect(mainsOf(matrix)).toEqual([0, 1, 2].map((i) => `courrier-${i}@medecin.mssante.test`));
  });

  it("sends a mail's files in its thread while the next mail's message goes to the room", async () => {
    const { processor, matrix } = setup();
    let letFileThrough!: () => void;
    const fileHeld = new Promise<void>((resolve) => (letFileThrough = resolve));
    matrix.holdSend = (key) => (key.includes("courrier-0@") && key.endsWith(":1") ? fileHeld : undefined);
    const carrying = letters(3).map((source, i) => processor.process(at(i + 1), source));
    await until(() => mainsOf(matrix).length === 3);
    // Mail 0's .eml is still on its way while the later messages were accepted.
    expect(matrix.sent.some((s) => s.key.includes("courrier-0@") && s.key.endsWith(":1"))).toBe(false);
    letFileThrough();
    expect((await Promise.all(carrying)).map((o) => o.kind)).toEqual(["posted", "posted", "posted"]);
    expect(mainsOf(matrix)).toEqual([0, 1, 2].map((i) => `courrier-${i}@medecin.mssante.test`));
    for (const main of matrix.sent.filter((s) => s.content["org.cpts.mssante.mail"])) {
      const files = matrix.sent.filter((s) => (s.content["m.relates_to"] as { event_id?: string } | undefined)?.event_id === main.eventId);
      expect(files.map((f) => f.content["body"])).toEqual(["courriel-original.eml"]);
      expect(matrix.sent.indexOf(files[0]!)).toBeGreaterThan(matrix.sent.indexOf(main));
    }
  });

  it("hands the next mail's message to Matrix before the files of the mail before it", async () => {
    const { processor, matrix } = setup();
    await Promise.all(letters(2).map((source, i) => processor.process(at(i + 1), source)));
    const asked = matrix.log.filter((l) => l.startsWith("send "));
    const nextMessage = asked.findIndex((l) => l.includes("courrier-1@") && l.endsWith(":0"));
    const filesOfFirst = asked.findIndex((l) => l.includes("courrier-0@") && l.endsWith(":1"));
    expect(nextMessage).toBeGreaterThan(0);
    expect(nextMessage).toBeLessThan(filesOfFirst);
  });

  it("sends one mail's files one after the other, in their order, after its message", async () => {
    const { processor, matrix } = setup();
    // The PDF's send answers slowest: the .eml must still wait for it.
    matrix.sendDelayMs = (key) => (key.endsWith(":1") ? 30 : 0);
    await processor.process(at(1), replyWithPdf({ messageId: "reponse@infirmier.mssante.test", inReplyTo: "inconnu@x.test", pdf: fixturePdf("Fiche", 1000) }));
    expect(matrix.log.filter((l) => l.startsWith("send ") || l.startsWith("sent ")).map((l) => l.replace(/ mail:.*:/, " "))).toEqual(["send 0", "sent 0", "send 1", "sent 1", "send 2", "sent 2"]);
    expect(matrix.sent.map((s) => s.content["body"]).slice(1)).toEqual(["fiche-surveillance.pdf", "courriel-original.eml"]);
  });

  it("leaves a mail whose file failed unprocessed while the later mails go on, and carries its file once on the retry", async () => {
    const { processor, matrix, ledger } = setup();
    const sources = letters(3);
    matrix.failsFor = failingOnce((key) => key.includes("courrier-0@") && key.endsWith(":1"));
    const first = await Promise.allSettled(sources.map((source, i) => processor.process(at(i + 1), source)));
    expect(first.map((o) => o.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(mainsOf(matrix)).toEqual([0, 1, 2].map((i) => `courrier-${i}@medecin.mssante.test`));
    expect(ledger.countByStatus("posting")).toBe(1);
    expect(ledger.countByStatus("posted")).toBe(2);
    // The next pass carries it again: only its file is sent, in its own thread.
    expect((await processor.process(at(1), sources[0]!)).kind).toBe("posted");
    expect(matrix.sent).toHaveLength(6);
    const mainOfZero = matrix.sent.find((s) => (s.content["org.cpts.mssante.mail"] as { messageId: string } | undefined)?.messageId === "courrier-0@medecin.mssante.test")!;
    expect(matrix.sent.at(-1)!.content["m.relates_to"]).toMatchObject({ rel_type: "m.thread", event_id: mainOfZero.eventId });
    expect([...matrix.asked.entries()].filter(([, n]) => n > 1).map(([key]) => key.slice(-2))).toEqual([":1"]);
  });

  it("after a crash in the middle of a batch, a new bridge carries every mail with no event sent twice", async () => {
    const before = setup();
    const sources = letters(4);
    before.matrix.sendDelayMs = slowerFirst;
    // The homeserver goes away after five accepted events (messages and files interleaved).
    before.matrix.failAfter = 5;
    await Promise.allSettled(sources.map((source, i) => before.processor.process(at(i + 1), source)));
    const acceptedBefore = new Set(before.matrix.sent.map((s) => s.key));
    expect(acceptedBefore.size).toBe(5);
    before.matrix.failAfter = Infinity;
    const after = setup({}, { db: before.db, matrix: before.matrix });
    const outcomes = await Promise.all(sources.map((source, i) => after.processor.process(at(i + 1), source)));
    expect(outcomes.every((o) => o.kind === "posted" || o.kind === "already-posted")).toBe(true);
    expect(after.matrix.sent).toHaveLength(8);
    expect(mainsOf(after.matrix)).toEqual([0, 1, 2, 3].map((i) => `courrier-${i}@medecin.mssante.test`));
    // What the homeserver had accepted was never asked again: the ledger knew it.
    for (const key of acceptedBefore) expect(after.matrix.asked.get(key)).toBe(1);
  });

  it("carries a mail delivered twice in one batch once", async () => {
    const { processor, matrix } = setup();
    const [letter] = letters(1);
    const outcomes = await Promise.all([processor.process(at(1), letter!), processor.process(at(2), letter!)]);
    expect(outcomes.map((o) => o.kind)).toEqual(["posted", "already-posted"]);
    expect(matrix.sent).toHaveLength(2);
  });
});

describe("identityOf", () => {
  it("is the same for a copy with other trace headers, different for another body", async () => {
    const source = fixtureMail("plain-letter.eml");
    const redelivered = Buffer.concat([Buffer.from("Received: from mx2 by mx3; Fri, 20 Nov 2026\r\nDelivered-To: cpts@x\r\n"), source]);
    expect(identityOf(redelivered, undefined)).toEqual(identityOf(source, undefined));
    const other = Buffer.from(source.toString("latin1").replace("demain", "lundi"), "latin1");
    expect(identityOf(other, undefined).contentSha256).not.toBe(identityOf(source, undefined).contentSha256);
  });
});
