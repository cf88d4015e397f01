import { describe, expect, it } from "vitest";
import { applyCaseEvent, caseLabel, checkTheme, inviteRefusal, openCase, removalRefusal, type CaseState } from "./care-case.ts";
import { caseCode, userId } from "./ids.ts";

const GP = userId("@dr.dupont:cpts.test");
const NURSE = userId("@ide.bernard:cpts.test");
const KINE = userId("@kine.moreau:cpts.test");
const BOT = userId("@equipes:cpts.test");
const DAY = 86_400_000;
const RETENTION = 30 * DAY;

function opened(): CaseState {
  return openCase({ code: caseCode("C-7K3F"), theme: "plaie pied", createdBy: GP, members: [NURSE, GP] }, 1_000).state;
}

describe("case theme and label", () => {
  it("keeps one clean line and refuses what cannot be a theme", () => {
    expect(checkTheme("  plaie   pied\ndiabétique ")).toEqual({ ok: true, theme: "plaie pied diabétique" });
    expect(checkTheme("ab")).toEqual({ ok: false, problem: "too-short" });
    expect(checkTheme("x".repeat(61))).toEqual({ ok: false, problem: "too-long" });
    expect(checkTheme("12 34")).toEqual({ ok: false, problem: "no-letters" });
    expect(caseLabel(caseCode("C-7K3F"), "plaie pied")).toBe("C-7K3F · plaie pied");
  });
});

describe("case lifecycle", () => {
  it("opens with a room for the creator and the members (once each) and asks the creator for the patient card", () => {
    const t = openCase({ code: caseCode("C-7K3F"), theme: "plaie pied", createdBy: GP, members: [NURSE, GP, NURSE] }, 1_000);
    expect(t.effects).toEqual([{ kind: "create-case-room", invite: [GP, NURSE] }, { kind: "ask-card", to: GP }]);
  });

  it("closes (read-only, announced, retention timer) and reopens within the retention time only", () => {
    const closed = applyCaseEvent(opened(), { type: "close", at: 2_000, by: GP, isManager: true }, RETENTION);
    expect(closed.state).toMatchObject({ status: "closed", closedAt: 2_000, closedBy: GP });
    expect(closed.effects).toEqual([{ kind: "lock-room" }, { kind: "announce", news: "closed", by: GP }, { kind: "schedule-retention-end", at: 2_000 + RETENTION }]);
    expect(applyCaseEvent(closed.state, { type: "close", at: 3_000, by: GP, isManager: true }, RETENTION).refusal).toBe("not-open");
    expect(applyCaseEvent(closed.state, { type: "reopen", at: 2_000 + RETENTION, by: GP, isManager: true }, RETENTION).refusal).toBe("retention-over");
    const reopened = applyCaseEvent(closed.state, { type: "reopen", at: 5_000, by: GP, isManager: true }, RETENTION);
    expect(reopened.state.status).toBe("open");
    expect(reopened.state.closedAt).toBeUndefined();
    expect(reopened.effects).toEqual([{ kind: "unlock-room" }, { kind: "announce", news: "reopened", by: GP }]);
  });

  it("leaves closure to managers, and a stale retention timer does nothing", () => {
    expect(applyCaseEvent(opened(), { type: "close", at: 2_000, by: NURSE, isManager: false }, RETENTION).refusal).toBe("not-manager");
    const closed = applyCaseEvent(opened(), { type: "close", at: 2_000, by: GP, isManager: true }, RETENTION).state;
    expect(applyCaseEvent(closed, { type: "retention-end", at: 2_000 + RETENTION - 1 }, RETENTION).state.status).toBe("closed");
    const archived = applyCaseEvent(closed, { type: "retention-end", at: 2_000 + RETENTION }, RETENTION).state;
    expect(archived.status).toBe("archived");
    expect(applyCaseEvent(archived, { type: "reopen", at: 3_000, by: GP, isManager: true }, RETENTION).refusal).toBe("retention-over");
  });
});

describe("who may be invited and removed", () => {
  const base = { caseStatus: "open", inviterIsManager: true, inviter: GP, target: KINE, botUserId: BOT, targetStatus: "verified", targetMembership: undefined } as const;

  it("invites verified members only, never twice, never oneself", () => {
    expect(inviteRefusal(base)).toBeUndefined();
    expect(inviteRefusal({ ...base, targetMembership: "leave" })).toBeUndefined();
    expect(inviteRefusal({ ...base, targetStatus: "unknown" })).toBe("not-member");
    expect(inviteRefusal({ ...base, targetStatus: "deactivated" })).toBe("deactivated");
    expect(inviteRefusal({ ...base, target: GP })).toBe("self");
    expect(inviteRefusal({ ...base, target: BOT })).toBe("bot");
    expect(inviteRefusal({ ...base, targetMembership: "invite" })).toBe("already-invited");
    expect(inviteRefusal({ ...base, targetMembership: "join" })).toBe("already-in-team");
    expect(inviteRefusal({ ...base, inviterIsManager: false })).toBe("not-manager");
    expect(inviteRefusal({ ...base, caseStatus: "closed" })).toBe("case-closed");
  });

  it("never removes the last person who can invite", () => {
    const removal = { caseStatus: "open", actorIsManager: true, target: GP, botUserId: BOT, targetMembership: "join", managers: [GP] } as const;
    expect(removalRefusal(removal)).toBe("last-manager");
    expect(removalRefusal({ ...removal, managers: [GP, NURSE] })).toBeUndefined();
    expect(removalRefusal({ ...removal, target: KINE })).toBeUndefined();
    expect(removalRefusal({ ...removal, target: KINE, targetMembership: "leave" })).toBe("not-in-team");
    expect(removalRefusal({ ...removal, target: BOT })).toBe("bot");
    expect(removalRefusal({ ...removal, actorIsManager: false, target: KINE })).toBe("not-manager");
  });
});
