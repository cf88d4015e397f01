import { describe, expect, it } from "vitest";
import { createLogger } from "../../../bots/core/logger.ts";
import { openDatabase } from "../../../bots/database.ts";
import type { MessageId } from "../mail/message-id.ts";
import type { ReadEvent } from "../matrix/matrix-mail.ts";
import type { SubmitOutcome } from "../smtp/submitter.ts";
import { MailThreads } from "../store/mail-threads.ts";
import { Outbox } from "../store/outbox.ts";
import type { ComposedMail } from "./compose.ts";
import { OutboundIntake } from "./outbound-intake.ts";
import { OutboundSender, retryDelay } from "./outbound-sender.ts";

const ROOM = "!room";
const RETRY = { firstDelayMs: 1_000, maxDelayMs: 4_000, giveUpMs: 60_000 };

function world(outcomes: SubmitOutcome[]) {
  let now = 1_000_000;
  const clock = { now: () => now };
  const db = openDatabase(":memory:");
  const outbox = new Outbox(db, clock);
  const threads = new MailThreads(db, clock);
  const events = new Map<string, ReadEvent>();
  const notices: string[] = [];
  const submitted: ComposedMail[] = [];
  const matrix = {
    readEvent: async (_roomId: string, eventId: string) => events.get(eventId)!,
    download: async () => Buffer.from(""),
    downloadPlain: async () => Buffer.from(""),
    displayName: () => "Dr Paul Durand",
    send: async (_roomId: string, content: Record<string, unknown>) => {
      notices.push(String(content["body"]));
      return `$n${notices.length}`;
    },
  };
  const submitter = {
    submit: async (mail: ComposedMail) => {
      submitted.push(mail);
      return outcomes.shift() ?? { kind: "sent" as const, answer: "250 ok" };
    },
  };
  const sender = new OutboundSender({ outbox, threads, matrix, submitters: new Map([["cpts@x.test", submitter]]), clock, logger: createLogger("test", "silent"), lang: "fr", organisationName: "CPTS Test", retry: RETRY });
  const intake = new OutboundIntake({ outbox, threads, matrix, clock, logger: createLogger("test", "silent"), defaultMailbox: "cpts@x.test", composeMs: 1_000, draftWaitMs: 60_000, onDraftChanged: () => {} });
  // A received mail in the room, and a member's answer in its thread.
  threads.record({ mailbox: "cpts@x.test", messageId: "orig@x" as MessageId, roomId: ROOM, eventId: "$mail", rootEventId: "$mail", direction: "in" });
  events.set("$mail", { sender: "@bridge:x", type: "m.room.message", content: { "org.cpts.mssante.mail": { mailbox: "cpts@x.test", messageId: "orig@x", subject: "Bilan", from: "dr.b@x.test", replyTo: [], to: [], cc: [], references: [] } } });
  events.set("$answer", { sender: "@paul:x", type: "m.room.message", content: { msgtype: "m.text", body: "Reçu, merci." } });
  const answer = () =>
    intake.onMessage({ eventId: "$answer", roomId: ROOM, sender: "@paul:x", type: "m.room.message", originServerTs: now, encrypted: true, content: { msgtype: "m.text", body: "Reçu, merci.", "m.relates_to": { rel_type: "m.thread", event_id: "$mail" } } });
  return { outbox, sender, intake, events, notices, submitted, answer, advance: (ms: number) => (now += ms), threads };
}

describe("OutboundSender", () => {
  it("answers the thread's mail once the composing time is over, and says when it left", async () => {
    const w = world([]);
    await w.answer();
    await w.sender.runDue();
    expect(w.submitted).toEqual([]);
    w.advance(1_000);
    await w.sender.runDue();
    expect(w.submitted).toHaveLength(1);
    expect(w.submitted[0]).toMatchObject({ to: ["dr.b@x.test"], subject: "Re: Bilan", inReplyTo: "<orig@x>", text: "Reçu, merci.\n" });
    expect(w.notices).toEqual([expect.stringMatching(/^📤 Courriel parti à \d\d:\d\d pour dr\.b@x\.test\.$/)]);
    expect(w.threads.byMessageId(w.submitted[0]!.messageId.replace(/[<>]/g, "") as MessageId, "cpts@x.test")?.direction).toBe("out");
  });

  it("answers the mail a member explicitly replies to inside the thread, not the thread's latest from someone else", async () => {
    const w = world([]);
    w.threads.record({ mailbox: "cpts@x.test", messageId: "later@y" as MessageId, roomId: ROOM, eventId: "$later", rootEventId: "$mail", direction: "in" });
    w.events.set("$later", { sender: "@bridge:x", type: "m.room.message", content: { "org.cpts.mssante.mail": { mailbox: "cpts@x.test", messageId: "later@y", subject: "Re: Bilan", from: "ide.c@y.test", replyTo: [], to: [], cc: [], references: ["orig@x"] } } });
    w.events.set("$explicit", { sender: "@paul:x", type: "m.room.message", content: { msgtype: "m.text", body: "Pour le Dr B." } });
    const relatesTo = (fallback: boolean) => ({ rel_type: "m.thread", event_id: "$mail", is_falling_back: fallback, "m.in_reply_to": { event_id: "$mail" } });
    await w.intake.onMessage({ eventId: "$explicit", roomId: ROOM, sender: "@paul:x", type: "m.room.message", originServerTs: 0, encrypted: true, content: { msgtype: "m.text", body: "Pour le Dr B.", "m.relates_to": relatesTo(false) } });
    w.advance(1_000);
    await w.sender.runDue();
    expect(w.submitted[0]).toMatchObject({ to: ["dr.b@x.test"], inReplyTo: "<orig@x>", references: "<orig@x>" });

    w.events.set("$fallback", { sender: "@zoe:x", type: "m.room.message", content: { msgtype: "m.text", body: "Pour l'IDE." } });
    await w.intake.onMessage({ eventId: "$fallback", roomId: ROOM, sender: "@zoe:x", type: "m.room.message", originServerTs: 0, encrypted: true, content: { msgtype: "m.text", body: "Pour l'IDE.", "m.relates_to": relatesTo(true) } });
    w.advance(1_000);
    await w.sender.runDue();
    expect(w.submitted[1]?.to).toEqual(["ide.c@y.test"]);
  });

  it("makes two mails of explicit replies to two mails of a thread sent within the composing time", async () => {
    const w = world([]);
    w.threads.record({ mailbox: "cpts@x.test", messageId: "later@y" as MessageId, roomId: ROOM, eventId: "$later", rootEventId: "$mail", direction: "in" });
    w.events.set("$later", { sender: "@bridge:x", type: "m.room.message", content: { "org.cpts.mssante.mail": { mailbox: "cpts@x.test", messageId: "later@y", subject: "Re: Bilan", from: "ide.c@y.test", replyTo: [], to: [], cc: [], references: ["orig@x"] } } });
    const replyTo = async (eventId: string, target: string, body: string) => {
      w.events.set(eventId, { sender: "@paul:x", type: "m.room.message", content: { msgtype: "m.text", body } });
      await w.intake.onMessage({ eventId, roomId: ROOM, sender: "@paul:x", type: "m.room.message", originServerTs: 0, encrypted: true, content: { msgtype: "m.text", body, "m.relates_to": { rel_type: "m.thread", event_id: "$mail", is_falling_back: false, "m.in_reply_to": { event_id: target } } } });
    };
    await replyTo("$toB", "$mail", "Pour le Dr B.");
    await replyTo("$toC", "$later", "Pour l'IDE.");
    await replyTo("$toC2", "$later", "Et merci.");
    w.advance(1_000);
    await w.sender.runDue();
    expect(w.submitted.map((m) => [m.to, m.inReplyTo, m.text])).toEqual([
      [["dr.b@x.test"], "<orig@x>", "Pour le Dr B.\n"],
      [["ide.c@y.test"], "<later@y>", "Pour l'IDE.\n\nEt merci.\n"],
    ]);
  });

  it("retries a deferred mail with growing delays, telling the room once, until it leaves", async () => {
    const w = world([
      { kind: "temporary", answer: "451 busy" },
      { kind: "temporary", answer: "451 busy" },
    ]);
    await w.answer();
    w.advance(1_000);
    await w.sender.runDue();
    expect(w.notices).toEqual(["⏳ Le serveur MSSanté a différé l'envoi (451 busy) : nouvel essai automatique, je préviens ici quand il part."]);
    w.advance(999);
    await w.sender.runDue();
    expect(w.submitted).toHaveLength(1);
    w.advance(1);
    await w.sender.runDue();
    expect(w.submitted).toHaveLength(2);
    w.advance(2_000);
    await w.sender.runDue();
    expect(w.submitted).toHaveLength(3);
    expect(w.notices).toHaveLength(2);
    expect(w.notices[1]).toMatch(/^📤 Courriel parti/);
    expect(new Set(w.submitted.map((m) => m.messageId)).size).toBe(1);
  });

  it("reports a refused mail, and gives up on one deferred for too long", async () => {
    const refused = world([{ kind: "permanent", answer: "550 5.1.1 unknown" }]);
    await refused.answer();
    refused.advance(1_000);
    await refused.sender.runDue();
    expect(refused.notices).toEqual(["❌ Courriel non envoyé : le serveur MSSanté l'a refusé (550 5.1.1 unknown). Vérifiez l'adresse ou réessayez plus tard."]);
    const deferred = world(Array.from({ length: 100 }, () => ({ kind: "temporary" as const, answer: "421 later" })));
    await deferred.answer();
    for (let i = 0; i < 30; i++) {
      deferred.advance(4_000);
      await deferred.sender.runDue();
    }
    expect(deferred.notices.at(-1)).toBe("❌ Courriel non envoyé après 0 h d'essais (421 later).");
    expect(deferred.outbox.takeDue()).toEqual([]);
  });
});

describe("retryDelay", () => {
  it("doubles from the first delay up to the maximum", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(RETRY, n))).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
  });
});
