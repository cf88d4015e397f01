import { describe, expect, it } from "vitest";
import type { Clock } from "../../core/clock.ts";
import { requestId, type UserId, userId } from "./ids.ts";
import { apply, checkLifecycleConfig, openRequest } from "./lifecycle.ts";
import type { LifecycleConfig, PlannedWave, SnpEffect, SnpEvent, SnpRequestState } from "./lifecycle-model.ts";

const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 3, 9, 0);
const config: LifecycleConfig = { responseDeadlineMs: 120 * MIN, reminderAfterMs: 60 * MIN };
const u = (name: string): UserId => userId(`@${name}:cpts.test`);
const regulator = u("regulation");

/** A request driven by a fake clock: each step moves the clock, then applies one event. */
class Scenario {
  now = T0;
  readonly clock: Clock = { now: () => this.now };
  state: SnpRequestState;
  effects: readonly SnpEffect[] = [];
  constructor(waves: readonly PlannedWave[]) {
    this.state = openRequest(
      { id: requestId("snp-1"), requester: regulator, profession: "infirmier", eligible: true, careDelayHours: 6, modes: ["domicile", "cabinet"] },
      this.clock.now(),
    ).state;
    this.step(0, { type: "dispatch", waves });
  }
  step(afterMinutes: number, event: DistributiveOmit<SnpEvent, "at">): readonly SnpEffect[] {
    this.now += afterMinutes * MIN;
    const result = apply(this.state, { ...event, at: this.clock.now() } as SnpEvent, config);
    this.state = result.state;
    this.effects = result.effects;
    return result.effects;
  }
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const fiveInOneWave: PlannedWave[] = [{ candidates: ["a", "b", "c", "d", "e"].map(u), durationMs: 30 * MIN }];
const threeWaves: PlannedWave[] = [
  { candidates: [u("usual")], durationMs: 15 * MIN },
  { candidates: [u("a"), u("b")], durationMs: 30 * MIN },
  { candidates: [u("c")], durationMs: 30 * MIN },
];

describe("the SNP request lifecycle", () => {
  it("dispatches to 5 candidates, schedules reminder and deadline, and the one who accepts gets the case", () => {
    const s = new Scenario(fiveInOneWave);
    expect(s.state).toMatchObject({ status: "dispatching", dispatchedAt: T0, deadlineAt: T0 + 120 * MIN, currentWave: 0 });
    expect(s.effects).toEqual([
      { kind: "notify-candidates", wave: 0, to: ["a", "b", "c", "d", "e"].map(u) },
      { kind: "schedule", job: "reminder", at: T0 + 60 * MIN },
      { kind: "schedule", job: "deadline", at: T0 + 120 * MIN },
    ]);
    s.step(5, { type: "decline", by: u("a") });
    expect(s.effects).toEqual([]);
    s.step(7, { type: "accept", by: u("c"), mode: "domicile" });
    expect(s.state).toMatchObject({ status: "accepted", acceptedBy: u("c"), acceptedMode: "domicile", acceptedAt: T0 + 12 * MIN });
    expect(s.effects).toEqual([
      { kind: "tell-requester", to: regulator, news: "accepted", by: u("c"), mode: "domicile" },
      { kind: "mark-taken", to: ["a", "b", "d", "e"].map(u), acceptor: u("c") },
      { kind: "create-case-room", members: [regulator, u("c")] },
    ]);
    // The timers fire later and find nothing to do.
    expect(s.step(48, { type: "reminder-due" })).toEqual([]);
    expect(s.step(60, { type: "deadline" })).toEqual([]);
    expect(s.state.status).toBe("accepted");
  });

  it("tells the requester who took the request before editing the other candidates' notifications", () => {
    const s = new Scenario(fiveInOneWave);
    const kinds = s.step(2, { type: "accept", by: u("a"), mode: "domicile" }).map((e) => e.kind);
    expect(kinds.indexOf("tell-requester")).toBe(0);
    expect(kinds.indexOf("mark-taken")).toBeGreaterThan(0);
  });

  it("lets only the first of two simultaneous accepts win", () => {
    const s = new Scenario(fiveInOneWave);
    s.step(3, { type: "accept", by: u("b"), mode: "cabinet" });
    s.step(0, { type: "accept", by: u("d"), mode: "domicile" });
    expect(s.state).toMatchObject({ acceptedBy: u("b"), acceptedMode: "cabinet" });
    expect(s.effects).toEqual([{ kind: "refuse", to: u("d"), reason: "already-taken", holder: u("b") }]);
  });

  it("refuses an accept from someone not asked, or in a mode the requester did not offer", () => {
    const s = new Scenario(fiveInOneWave);
    expect(s.step(1, { type: "accept", by: u("z"), mode: "domicile" })).toEqual([{ kind: "refuse", to: u("z"), reason: "not-a-candidate" }]);
    expect(s.step(1, { type: "accept", by: u("a"), mode: "telephone" })).toEqual([{ kind: "refuse", to: u("a"), reason: "mode-not-offered" }]);
    expect(s.state.status).toBe("dispatching");
  });

  it("sends one reminder only, to those who have not declined", () => {
    const s = new Scenario(fiveInOneWave);
    s.step(10, { type: "decline", by: u("e") });
    expect(s.step(50, { type: "reminder-due" })).toEqual([{ kind: "send-reminder", to: ["a", "b", "c", "d"].map(u) }]);
    expect(s.state).toMatchObject({ status: "reminded", remindedAt: T0 + 60 * MIN });
    expect(s.step(1, { type: "reminder-due" })).toEqual([]);
  });

  it("escalates at the deadline with the history and the fallback, then a regulator claims and closes the callback", () => {
    const s = new Scenario(fiveInOneWave);
    s.step(60, { type: "reminder-due" });
    const effects = s.step(60, { type: "deadline" });
    expect(s.state).toMatchObject({ status: "escalated", escalatedAt: T0 + 120 * MIN, escalationReason: "deadline" });
    expect(effects[0]).toEqual({ kind: "mark-closed", to: ["a", "b", "c", "d", "e"].map(u), why: "escalated" });
    expect(effects[1]).toMatchObject({ kind: "escalate", reason: "deadline", fallback: ["garde", "samu-15"] });
    expect(effects[1]!.kind === "escalate" && effects[1]!.history.map((h) => h.type)).toEqual(["open", "dispatch", "wave", "reminder", "escalate"]);
    expect(s.step(1, { type: "accept", by: u("a"), mode: "domicile" })).toEqual([{ kind: "refuse", to: u("a"), reason: "escalated" }]);

    const claimer = u("regulator-1");
    expect(s.step(2, { type: "claim-callback", by: claimer })).toContainEqual({ kind: "callback-claimed", by: claimer });
    expect(s.step(0, { type: "claim-callback", by: u("regulator-2") })).toEqual([{ kind: "refuse", to: u("regulator-2"), reason: "already-claimed", holder: claimer }]);
    expect(s.step(5, { type: "close-callback", by: u("regulator-2"), outcome: "garde" })[0]).toMatchObject({ reason: "not-the-claimer" });
    s.step(5, { type: "close-callback", by: claimer, outcome: "garde" });
    expect(s.state).toMatchObject({ status: "closed", claimedBy: claimer, claimedAt: T0 + 123 * MIN, outcome: "garde", closedAt: T0 + 133 * MIN });
  });

  it("escalates at once when every candidate of the last wave declines", () => {
    const s = new Scenario([{ candidates: [u("a"), u("b")], durationMs: 30 * MIN }]);
    s.step(2, { type: "decline", by: u("a") });
    expect(s.state.status).toBe("dispatching");
    const effects = s.step(3, { type: "decline", by: u("b") });
    expect(s.state).toMatchObject({ status: "escalated", escalationReason: "all-declined", escalatedAt: T0 + 5 * MIN });
    expect(effects.map((e) => e.kind)).toEqual(["escalate", "tell-requester"]);
  });

  it("escalates at dispatch when nobody can be asked", () => {
    const s = new Scenario([]);
    expect(s.state).toMatchObject({ status: "escalated", escalationReason: "no-candidate" });
  });

  it("moves through the waves on timeout or when a whole wave declines, skipping those who left, ignoring stale timers", () => {
    const s = new Scenario(threeWaves);
    expect(s.effects[0]).toEqual({ kind: "notify-candidates", wave: 0, to: [u("usual")] });
    expect(s.effects[1]).toEqual({ kind: "schedule", job: "wave-timeout", at: T0 + 15 * MIN, wave: 0 });
    s.step(15, { type: "wave-timeout", wave: 0, skip: [u("b")] });
    expect(s.effects).toEqual([
      { kind: "notify-candidates", wave: 1, to: [u("a")] },
      { kind: "schedule", job: "wave-timeout", at: T0 + 45 * MIN, wave: 1 },
    ]);
    expect(s.step(0, { type: "wave-timeout", wave: 0 })).toEqual([]); // replayed after a restart
    s.step(5, { type: "decline", by: u("usual") });
    s.step(1, { type: "decline", by: u("a") });
    expect(s.effects).toEqual([{ kind: "notify-candidates", wave: 2, to: [u("c")] }]);
    expect(s.state.notified).toEqual([u("usual"), u("a"), u("c")]);
    s.step(1, { type: "accept", by: u("c"), mode: "cabinet" });
    expect(s.effects[1]).toEqual({ kind: "mark-taken", to: [u("usual"), u("a")], acceptor: u("c") });
  });

  it("closes an accepted request as done or not done, by the acceptor only", () => {
    const s = new Scenario(fiveInOneWave);
    s.step(10, { type: "accept", by: u("a"), mode: "domicile" });
    expect(s.step(60, { type: "done", by: u("b") })).toEqual([{ kind: "refuse", to: u("b"), reason: "not-the-acceptor", holder: u("a") }]);
    s.step(120, { type: "done", by: u("a") });
    expect(s.state).toMatchObject({ status: "done", doneAt: T0 + 190 * MIN });

    const t = new Scenario(fiveInOneWave);
    t.step(10, { type: "accept", by: u("a"), mode: "domicile" });
    expect(t.step(60, { type: "not-done", by: u("a"), reason: "patient absent" })).toEqual([{ kind: "tell-requester", to: regulator, news: "not-done", by: u("a") }]);
    expect(t.state).toMatchObject({ status: "not-done", notDoneReason: "patient absent", notDoneAt: T0 + 70 * MIN });
  });

  it("can be cancelled while dispatching, closing the pending notifications", () => {
    const s = new Scenario(fiveInOneWave);
    s.step(1, { type: "decline", by: u("a") });
    s.step(1, { type: "cancel", by: regulator, reason: "patient hospitalisé" });
    expect(s.state).toMatchObject({ status: "cancelled", cancelledAt: T0 + 2 * MIN });
    expect(s.effects[0]).toEqual({ kind: "mark-closed", to: ["b", "c", "d", "e"].map(u), why: "cancelled" });
    expect(s.step(1, { type: "accept", by: u("b"), mode: "domicile" })).toEqual([{ kind: "refuse", to: u("b"), reason: "not-active" }]);
  });

  it("records an ineligible request as redirected, never dispatched", () => {
    const opened = openRequest({ id: requestId("snp-2"), requester: regulator, profession: "medecin", eligible: false, careDelayHours: 24, modes: ["cabinet"] }, T0);
    expect(opened.state.status).toBe("redirected");
    expect(opened.effects).toEqual([{ kind: "tell-requester", to: regulator, news: "redirected" }]);
    expect(apply(opened.state, { type: "dispatch", at: T0, waves: fiveInOneWave }).effects).toEqual([]);
  });

  it("refuses a reminder that would come after the deadline", () => {
    expect(() => checkLifecycleConfig({ responseDeadlineMs: 60 * MIN, reminderAfterMs: 60 * MIN })).toThrow(/reminderAfter/);
    expect(checkLifecycleConfig(config)).toBe(config);
  });
});
