import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../database.ts";
import { requestId, userId, type UserId } from "../domain/index.ts";
import { SnpStore } from "./snp-store.ts";

const u = (name: string): UserId => userId(`@${name}:cpts.test`);
const T0 = Date.UTC(2026, 10, 23, 9, 0);

/** Two stores on one database file: two bot processes, as far as SQLite is concerned. */
function twoProcesses() {
  const file = join(mkdtempSync(join(tmpdir(), "snp-store-")), "bots.db");
  let now = T0;
  const clock = { now: () => now };
  return { first: new SnpStore(openDatabase(file), clock), second: new SnpStore(openDatabase(file), clock), file, clock, advance: (ms: number) => (now += ms) };
}

const id = requestId("snp-2026-11-23-001");
const request = { id, requester: u("regulation"), profession: "infirmier", eligible: true, careDelayHours: 6, modes: ["domicile" as const] };
const waves = [{ candidates: [u("a"), u("b"), u("c")], durationMs: 30 * 60_000 }];

describe("SnpStore", () => {
  it("keeps a request and its effects across processes", () => {
    const { first, second } = twoProcesses();
    first.open(request);
    first.apply(id, { type: "dispatch", at: T0, waves });
    expect(second.get(id)?.status).toBe("dispatching");
    const kinds = second.outbox.pending(100).map((p) => p.effect.kind);
    expect(kinds).toContain("notify-candidates");
    expect(kinds).toContain("schedule");
    expect(second.active().map((s) => s.id)).toEqual([id]);
  });

  it("lets only the first of two accepts from two processes win", () => {
    const { first, second } = twoProcesses();
    first.open(request);
    first.apply(id, { type: "dispatch", at: T0, waves });
    const a = first.apply(id, { type: "accept", at: T0 + 1_000, by: u("a"), mode: "domicile" });
    const b = second.apply(id, { type: "accept", at: T0 + 1_000, by: u("b"), mode: "domicile" });
    expect(a.state.acceptedBy).toBe(u("a"));
    expect(b.state.acceptedBy).toBe(u("a"));
    expect(b.effects).toContainEqual(expect.objectContaining({ kind: "refuse", to: u("b"), reason: "already-taken" }));
    expect(first.get(id)?.acceptedBy).toBe(u("a"));
  });

  it("keeps effects pending until carried out, so a crash in between loses nothing", () => {
    const { first, file, clock } = twoProcesses();
    first.open(request);
    first.apply(id, { type: "dispatch", at: T0, waves });
    const pending = first.outbox.pending(100);
    first.outbox.markDone(pending[0]!.id);
    const restarted = new SnpStore(openDatabase(file), clock);
    expect(restarted.outbox.pending(100).map((p) => p.id)).toEqual(pending.slice(1).map((p) => p.id));
  });

  it("ignores a job that fires for a request that moved on (a replay after restart is harmless)", () => {
    const { first } = twoProcesses();
    first.open(request);
    first.apply(id, { type: "dispatch", at: T0, waves });
    first.apply(id, { type: "accept", at: T0 + 1_000, by: u("c"), mode: "domicile" });
    const before = first.outbox.pending(100).length;
    const late = first.apply(id, { type: "reminder-due", at: T0 + 3_600_000 });
    expect(late.state.status).toBe("accepted");
    expect(first.outbox.pending(100).length).toBe(before + late.effects.length);
    expect(late.effects.filter((e) => e.kind === "send-reminder")).toEqual([]);
  });

  it("records an ineligible request for the indicators without dispatching it, and refuses unknown ids", () => {
    const { first, advance } = twoProcesses();
    first.open({ ...request, id: requestId("snp-ineligible"), eligible: false });
    advance(60_000);
    expect(first.get(requestId("snp-ineligible"))?.status).toBe("redirected");
    expect(first.active()).toEqual([]);
    expect(first.createdBetween(T0, T0 + 1).map((s) => s.id)).toEqual(["snp-ineligible"]);
    expect(() => first.apply(requestId("nope"), { type: "deadline", at: T0 })).toThrow(/unknown SNP request/);
  });
});
