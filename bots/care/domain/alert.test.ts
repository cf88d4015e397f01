import { describe, expect, it } from "vitest";
import { applyAlertEvent, raiseAlert } from "./alert.ts";
import { caseCode, userId } from "./ids.ts";

const NURSE = userId("@ide:cpts.test");
const GP = userId("@mg:cpts.test");
const CONFIG = { reminderAfterMs: 600_000, maxReminders: 2 };

describe("team alert", () => {
  const raised = raiseAlert({ id: 1, caseCode: caseCode("C-7K3F"), raisedBy: NURSE }, 1_000, CONFIG);

  it("is posted with a reminder scheduled", () => {
    expect(raised.effects).toEqual([{ kind: "post-alert" }, { kind: "schedule-reminder", at: 601_000, reminder: 1 }]);
  });

  it("is acknowledged by the first other member; the raiser's own reaction does not count", () => {
    expect(applyAlertEvent(raised.state, { type: "acknowledge", at: 2_000, by: NURSE }, CONFIG).state.status).toBe("raised");
    const acked = applyAlertEvent(raised.state, { type: "acknowledge", at: 2_000, by: GP }, CONFIG);
    expect(acked.state).toMatchObject({ status: "acknowledged", acknowledgedBy: GP, acknowledgedAt: 2_000 });
    expect(acked.effects).toEqual([{ kind: "post-acknowledgement", by: GP }]);
    expect(applyAlertEvent(acked.state, { type: "acknowledge", at: 3_000, by: NURSE }, CONFIG).effects).toEqual([]);
    expect(applyAlertEvent(acked.state, { type: "reminder-due", at: 601_000, reminder: 1 }, CONFIG).effects).toEqual([]);
  });

  it("reminds while nobody acknowledges, up to the maximum, and a replayed timer is harmless", () => {
    const first = applyAlertEvent(raised.state, { type: "reminder-due", at: 601_000, reminder: 1 }, CONFIG);
    expect(first.effects).toEqual([{ kind: "post-reminder", reminder: 1 }, { kind: "schedule-reminder", at: 1_201_000, reminder: 2 }]);
    expect(applyAlertEvent(first.state, { type: "reminder-due", at: 602_000, reminder: 1 }, CONFIG).effects).toEqual([]);
    const second = applyAlertEvent(first.state, { type: "reminder-due", at: 1_201_000, reminder: 2 }, CONFIG);
    expect(second.effects).toEqual([{ kind: "post-reminder", reminder: 2 }]);
    expect(applyAlertEvent(second.state, { type: "reminder-due", at: 1_801_000, reminder: 3 }, CONFIG).effects).toEqual([]);
  });

  it("ends when the case closes", () => {
    const cancelled = applyAlertEvent(raised.state, { type: "cancel", at: 5_000 }, CONFIG).state;
    expect(cancelled.status).toBe("cancelled");
    expect(applyAlertEvent(cancelled, { type: "reminder-due", at: 601_000, reminder: 1 }, CONFIG).effects).toEqual([]);
  });
});
