import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../bots/database.ts";
import type { MessageId } from "../mail/message-id.ts";
import { CaseLinks } from "./case-links.ts";
import { InboundLedger } from "./inbound-ledger.ts";
import { MailThreads } from "./mail-threads.ts";
import { Outbox } from "./outbox.ts";

function setup() {
  let now = 1_000;
  const clock = { now: () => now };
  const db = openDatabase(":memory:");
  return { db, clock, advance: (ms: number) => (now += ms) };
}

describe("InboundLedger", () => {
  const mail = { messageId: "a@x", contentSha256: "h1" };

  it("keeps one record per mail across re-deliveries and UIDVALIDITY changes, following its location", () => {
    const { db, clock } = setup();
    const ledger = new InboundLedger(db, clock);
    const first = ledger.begin({ mailbox: "m", uidValidity: 1, uid: 7 }, mail);
    expect(first.status).toBe("posting");
    ledger.setRoute(first.id, "triage", "!room");
    ledger.recordEvent(first.id, 0, "$main");
    ledger.markPosted(first.id, "$main");
    const again = ledger.begin({ mailbox: "m", uidValidity: 2, uid: 1 }, mail);
    expect(again).toEqual({ id: first.id, status: "posted", route: "triage", roomId: "!room" });
    expect(ledger.eventOf(first.id, 0)).toBe("$main");
    expect(ledger.eventOf(first.id, 1)).toBeUndefined();
    const row = db.prepare("SELECT uid_validity, uid FROM mssante_inbound WHERE id = ?").get(first.id);
    expect(row).toEqual({ uid_validity: 2, uid: 1 });
  });

  it("tells apart two mails with one Message-ID but different content, and the same mail in two mailboxes", () => {
    const { db, clock } = setup();
    const ledger = new InboundLedger(db, clock);
    const a = ledger.begin({ mailbox: "m", uidValidity: 1, uid: 1 }, mail).id;
    const b = ledger.begin({ mailbox: "m", uidValidity: 1, uid: 2 }, { ...mail, contentSha256: "h2" }).id;
    const c = ledger.begin({ mailbox: "other", uidValidity: 1, uid: 1 }, mail).id;
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("moves posting → posted → done", () => {
    const { db, clock } = setup();
    const ledger = new InboundLedger(db, clock);
    const { id } = ledger.begin({ mailbox: "m", uidValidity: 1, uid: 1 }, mail);
    ledger.markPosted(id, "$e");
    const other = ledger.begin({ mailbox: "m", uidValidity: 1, uid: 2 }, { ...mail, contentSha256: "h2" }).id;
    ledger.markPosted(other, "$f");
    ledger.markDone([id, other]);
    expect(ledger.begin({ mailbox: "m", uidValidity: 1, uid: 1 }, mail).status).toBe("done");
    expect(ledger.countByStatus("done")).toBe(2);
  });

  it("writes an event and what goes with it together, or neither", () => {
    const { db, clock } = setup();
    const ledger = new InboundLedger(db, clock);
    const { id } = ledger.begin({ mailbox: "m", uidValidity: 1, uid: 1 }, mail);
    expect(() =>
      ledger.together(() => {
        ledger.recordEvent(id, 1, "$file");
        throw new Error("disk full");
      }),
    ).toThrow("disk full");
    expect(ledger.eventOf(id, 1)).toBeUndefined();
    ledger.together(() => {
      ledger.recordEvent(id, 1, "$file");
      ledger.markPosted(id, "$main");
    });
    expect(ledger.eventOf(id, 1)).toBe("$file");
    expect(ledger.countByStatus("posted")).toBe(1);
  });
});

describe("MailThreads", () => {
  it("finds a mail by Message-ID (preferring the same mailbox) and by event", () => {
    const { db, clock } = setup();
    const threads = new MailThreads(db, clock);
    const id = "x@y" as MessageId;
    threads.record({ mailbox: "a", messageId: id, roomId: "!1", eventId: "$1", rootEventId: "$1", direction: "in" });
    threads.record({ mailbox: "b", messageId: id, roomId: "!2", eventId: "$2", rootEventId: "$2", direction: "in" });
    expect(threads.byMessageId(id, "b")?.roomId).toBe("!2");
    expect(threads.byMessageId(id, "a")?.roomId).toBe("!1");
    expect(threads.byEvent("!1", "$1")?.mailbox).toBe("a");
    expect(threads.byMessageId("nope" as MessageId, "a")).toBeUndefined();
  });
});

describe("Outbox", () => {
  const draft = { mailbox: "m", roomId: "!r", threadRootId: "$root", sender: "@a:x", messageId: "mid@x" as MessageId, recipients: ["b@x"] };

  it("collects parts while composing, queues when due, and keeps retries and outcomes", () => {
    const { db, clock, advance } = setup();
    const outbox = new Outbox(db, clock);
    const mail = outbox.open(draft, 1_500);
    outbox.addPart(mail.id, "$p1", 1_500);
    outbox.addPart(mail.id, "$p2", 2_000);
    outbox.addPart(mail.id, "$p1", 2_000);
    expect(outbox.parts(mail.id)).toEqual(["$p1", "$p2"]);
    expect(outbox.composing("!r", "$root", "@a:x")?.id).toBe(mail.id);
    expect(outbox.takeDue()).toEqual([]);
    expect(outbox.nextDueAt()).toBe(2_000);
    advance(1_000);
    const due = outbox.takeDue();
    expect(due.map((m) => [m.id, m.status])).toEqual([[mail.id, "queued"]]);
    expect(outbox.composing("!r", "$root", "@a:x")).toBeUndefined();
    outbox.retryLater(mail.id, "421 busy", 5_000);
    expect(outbox.takeDue()).toEqual([]);
    expect(outbox.get(mail.id)).toMatchObject({ attempts: 1, lastError: "421 busy", dueAt: 5_000, status: "queued" });
    advance(5_000);
    expect(outbox.takeDue()).toHaveLength(1);
    outbox.markSent(mail.id);
    expect(outbox.get(mail.id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(outbox.nextDueAt()).toBeUndefined();
  });

  it("opens a new draft in the same thread once the previous one left", () => {
    const { db, clock, advance } = setup();
    const outbox = new Outbox(db, clock);
    const first = outbox.open(draft, 1_000);
    advance(1);
    outbox.takeDue();
    const second = outbox.open({ ...draft, messageId: "mid2@x" as MessageId }, 5_000);
    expect(second.id).not.toBe(first.id);
    expect(outbox.open(draft, 9_000).id).toBe(first.id);
  });
});

describe("CaseLinks", () => {
  it("links a room to a patient without storing the identifier, and to a tag whatever its case", () => {
    const { db, clock } = setup();
    const links = new CaseLinks(db, clock, "secret-key");
    links.linkPatient("290017512345612", "!case", "@coord:x");
    links.linkTag("cas-7f3k", "!case", "@coord:x");
    expect(links.roomForPatient("2900175 12345612")).toBe("!case");
    expect(links.roomForTag("7F3K")).toBe("!case");
    expect(JSON.stringify(db.prepare("SELECT * FROM mssante_case_links").all())).not.toContain("290017512345612");
    expect(new CaseLinks(db, clock, "other-key").roomForPatient("290017512345612")).toBeUndefined();
    expect(links.linksOf("!case")).toEqual({ patients: 1, tags: ["7F3K"] });
    expect(links.unlinkRoom("!case")).toBe(2);
    expect(links.roomForTag("7F3K")).toBeUndefined();
  });
});
