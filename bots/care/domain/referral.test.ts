import { describe, expect, it } from "vitest";
import { caseCode, referralCode, userId } from "./ids.ts";
import { applyReferralEvent, sendReferral, type ReferralState } from "./referral.ts";

const GP = userId("@mg:cpts.test");
const KINE = userId("@kine:cpts.test");
const OTHER = userId("@autre:cpts.test");

function sent(): ReferralState {
  return sendReferral({ code: referralCode("AD-7K3F"), sender: GP, target: KINE, caseCode: caseCode("C-AAAA") }, 1_000, 3_600_000).state;
}

describe("referral lifecycle", () => {
  it("notifies the target and schedules a reminder", () => {
    const t = sendReferral({ code: referralCode("AD-7K3F"), sender: GP, target: KINE, caseCode: undefined }, 1_000, 3_600_000);
    expect(t.state).toMatchObject({ status: "sent", createdAt: 1_000 });
    expect(t.state.caseCode).toBeUndefined();
    expect(t.effects).toEqual([{ kind: "notify-target" }, { kind: "schedule-reminder", at: 3_601_000 }]);
  });

  it("tells the sender when it is seen, once", () => {
    const seen = applyReferralEvent(sent(), { type: "seen", at: 2_000 });
    expect(seen.state).toMatchObject({ status: "seen", seenAt: 2_000 });
    expect(seen.effects).toEqual([{ kind: "tell-sender", news: "seen" }]);
    expect(applyReferralEvent(seen.state, { type: "seen", at: 3_000 }).effects).toEqual([]);
  });

  it("accepted by the target: into the case, the sender told; a second answer is refused", () => {
    const accepted = applyReferralEvent(sent(), { type: "accept", at: 2_000, by: KINE });
    expect(accepted.state).toMatchObject({ status: "accepted", acceptedAt: 2_000, seenAt: 2_000 });
    expect(accepted.effects).toEqual([{ kind: "bring-target-to-case" }, { kind: "tell-sender", news: "accepted" }]);
    expect(applyReferralEvent(accepted.state, { type: "decline", at: 3_000, by: KINE, reason: "non" }).refusal).toBe("already-answered");
    expect(applyReferralEvent(sent(), { type: "accept", at: 2_000, by: OTHER }).refusal).toBe("not-target");
  });

  it("declined with a reason only", () => {
    expect(applyReferralEvent(sent(), { type: "decline", at: 2_000, by: KINE, reason: "  " }).refusal).toBe("reason-missing");
    const declined = applyReferralEvent(sent(), { type: "decline", at: 2_000, by: KINE, reason: " pas de  créneau " });
    expect(declined.state).toMatchObject({ status: "declined", declineReason: "pas de créneau" });
    expect(declined.effects).toContainEqual({ kind: "tell-sender", news: "declined" });
  });

  it("done by either party once accepted; cancelled by the sender while unanswered", () => {
    expect(applyReferralEvent(sent(), { type: "done", at: 2_000, by: KINE }).refusal).toBe("not-accepted");
    const accepted = applyReferralEvent(sent(), { type: "accept", at: 2_000, by: KINE }).state;
    expect(applyReferralEvent(accepted, { type: "done", at: 3_000, by: KINE }).effects).toContainEqual({ kind: "tell-sender", news: "done" });
    expect(applyReferralEvent(accepted, { type: "done", at: 3_000, by: GP }).effects).toContainEqual({ kind: "tell-target", news: "done" });
    expect(applyReferralEvent(accepted, { type: "done", at: 3_000, by: OTHER }).refusal).toBe("not-party");
    expect(applyReferralEvent(sent(), { type: "cancel", at: 2_000, by: KINE }).refusal).toBe("not-sender");
    expect(applyReferralEvent(sent(), { type: "cancel", at: 2_000, by: GP }).state.status).toBe("cancelled");
    expect(applyReferralEvent(accepted, { type: "cancel", at: 2_000, by: GP }).refusal).toBe("already-answered");
  });

  it("reminds the target once while unanswered", () => {
    const reminded = applyReferralEvent(sent(), { type: "reminder-due", at: 3_601_000 });
    expect(reminded.effects).toEqual([{ kind: "remind-target" }, { kind: "tell-sender", news: "reminded" }]);
    expect(applyReferralEvent(reminded.state, { type: "reminder-due", at: 3_602_000 }).effects).toEqual([]);
    const accepted = applyReferralEvent(sent(), { type: "accept", at: 2_000, by: KINE }).state;
    expect(applyReferralEvent(accepted, { type: "reminder-due", at: 3_601_000 }).effects).toEqual([]);
    expect(reminded.state.history.map((h) => h.type)).toEqual(["sent", "reminded"]);
  });
});
