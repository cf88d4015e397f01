import { describe, expect, it } from "vitest";
import { openDatabase } from "../../database.ts";
import { caseCode, expertiseCode, referralCode, userId } from "../domain/ids.ts";
import { CaseStore } from "./case-store.ts";
import { ExpertiseStore } from "./expertise-store.ts";
import { CareOutbox } from "./outbox.ts";
import { Prompts, PROMPT_TIMEOUT_MS } from "./prompts.ts";
import { ReferralStore } from "./referral-store.ts";

const GP = userId("@mg:cpts.test");
const NURSE = userId("@ide:cpts.test");
const KINE = userId("@kine:cpts.test");

function world() {
  const db = openDatabase(":memory:");
  let now = 1_000_000;
  const clock = { now: () => now };
  const outbox = new CareOutbox(db, clock);
  return {
    db,
    outbox,
    advance: (ms: number) => (now += ms),
    cases: new CaseStore(db, clock, outbox, { retentionMs: 30 * 86_400_000, alert: { reminderAfterMs: 600_000, maxReminders: 2 } }),
    referrals: new ReferralStore(db, clock, outbox, 3_600_000),
    expertise: new ExpertiseStore(db, clock, outbox, 1_800_000),
    prompts: new Prompts(db, clock),
  };
}

const kinds = (w: ReturnType<typeof world>): string[] => w.outbox.pending(100).map((p) => `${p.kind}:${p.key}:${(p.effect as { kind: string }).kind}`);

describe("care stores", () => {
  it("opens a case with its creator as manager, its members and its effects in one transaction; the opening message finds it again", () => {
    const w = world();
    const code = caseCode("C-AAAA");
    w.cases.open({ code, theme: "plaie", createdBy: GP, members: [NURSE] }, "$event1");
    expect(w.cases.byOpeningEvent("$event1")?.state.code).toBe(code);
    expect(w.cases.members(code).map((m) => [m.userId, m.role])).toEqual([[GP, "manager"], [NURSE, "member"]]);
    expect(kinds(w)).toEqual(["case:C-AAAA:create-case-room", "case:C-AAAA:ask-card"]);
    expect(() => w.cases.open({ code: caseCode("C-BBBB"), theme: "plaie", createdBy: GP, members: [] }, "$event1")).toThrow(/UNIQUE/);
    w.cases.setRoom(code, "!room:cpts.test");
    expect(w.cases.byRoom("!room:cpts.test")?.state.code).toBe(code);
    expect(w.cases.casesOf(NURSE).map((c) => c.state.code)).toEqual([code]);
    w.cases.markRemoved(code, NURSE);
    expect(w.cases.casesOf(NURSE)).toEqual([]);
    w.cases.addMember(code, NURSE, "member", GP);
    expect(w.cases.casesOf(NURSE)).toHaveLength(1);
  });

  it("raises an alert once per message, forgets its text once posted, and ends it when the case closes", () => {
    const w = world();
    const code = caseCode("C-AAAA");
    w.cases.open({ code, theme: "plaie", createdBy: GP, members: [NURSE] }, "$open");
    const first = w.cases.raiseAlert(code, NURSE, "$alert", "chute");
    expect(w.cases.raiseAlert(code, NURSE, "$alert", "chute")).toEqual({ alert: first.alert, created: false });
    expect(w.cases.alertMessage(first.alert.id).text).toBe("chute");
    w.cases.alertPosted(first.alert.id, "$posted");
    expect(w.cases.alertMessage(first.alert.id)).toEqual({ text: undefined, eventId: "$posted" });
    expect(w.cases.alertByMessage("$posted")?.id).toBe(first.alert.id);
    w.cases.apply(code, { type: "close", at: 2_000_000, by: GP, isManager: true });
    expect(w.cases.alert(first.alert.id)?.status).toBe("cancelled");
  });

  it("keeps a referral's reason only until the target has it", () => {
    const w = world();
    const code = referralCode("AD-AAAA");
    w.referrals.send({ code, sender: GP, target: KINE, caseCode: undefined }, "!dm:cpts.test", "rééducation genou");
    expect(w.referrals.get(code)?.reason).toBe("rééducation genou");
    expect(w.referrals.unseen()).toEqual([]);
    w.referrals.notified(code, "!kine-dm:cpts.test", "$notification");
    expect(w.referrals.get(code)).toMatchObject({ reason: undefined, notification: { roomId: "!kine-dm:cpts.test", eventId: "$notification" } });
    expect(w.referrals.byNotification("$notification")?.state.code).toBe(code);
    expect(w.referrals.unseen().map((r) => r.state.code)).toEqual([code]);
    expect(w.referrals.unseen(KINE).map((r) => r.state.code)).toEqual([code]);
    expect(w.referrals.unseen(GP)).toEqual([]);
    expect(w.referrals.apply(code, { type: "accept", at: 2_000_000, by: KINE }).state.status).toBe("accepted");
    expect(w.referrals.involving(KINE, 10).map((r) => r.state.status)).toEqual(["accepted"]);
  });

  it("lets only the first expert take a request, whatever the order the takes are stored in", () => {
    const w = world();
    const code = expertiseCode("AV-AAAA");
    w.expertise.open({ code, requester: GP, specialty: { key: "medecin|cardiologie", label: "cardiologie" } }, [[NURSE, KINE]], "!dm:cpts.test", "ECG ci-joint");
    expect(w.expertise.get(code)?.question).toBe("ECG ci-joint");
    expect(w.expertise.apply(code, { type: "take", at: 2_000_000, by: KINE }).refusal).toBeUndefined();
    expect(w.expertise.apply(code, { type: "take", at: 2_000_001, by: NURSE }).refusal).toBe("already-taken");
    w.expertise.forgetQuestion(code);
    expect(w.expertise.get(code)?.question).toBeUndefined();
    const none = expertiseCode("AV-BBBB");
    w.expertise.open({ code: none, requester: GP, specialty: { key: "skill|plaies", label: "plaies" } }, [[], []], "!dm:cpts.test", "photo");
    expect(w.expertise.get(none)).toMatchObject({ question: undefined, state: { status: "expired" } });
    expect(w.expertise.createdBetween(0, 3_000_000).map((s) => s.code)).toEqual([code, none]);
  });

  it("keeps a prompt per person and room until it is answered or times out", () => {
    const w = world();
    w.prompts.open(GP, "!dm", { kind: "theme" });
    expect(w.prompts.get(GP, "!dm")).toEqual({ kind: "theme" });
    expect(w.prompts.get(GP, "!other")).toBeUndefined();
    w.advance(PROMPT_TIMEOUT_MS + 1);
    expect(w.prompts.get(GP, "!dm")).toBeUndefined();
    w.prompts.open(NURSE, "!dm", { kind: "theme" });
    expect(w.prompts.purgeExpired()).toBe(1);
    expect(w.prompts.get(NURSE, "!dm")).toEqual({ kind: "theme" });
  });
});
