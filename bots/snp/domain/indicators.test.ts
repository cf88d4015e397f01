import { describe, expect, it } from "vitest";
import { requestId, userId } from "./ids.ts";
import { computeIndicators, CSV_HEADERS, indicatorsBy, indicatorsCsv, median, percentile, type SnpRecord } from "./indicators.ts";
import { apply, openRequest } from "./lifecycle.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Monday 3 March 2025, 09:00 in Paris: ISO week 2025-W10. */
const MON = Date.UTC(2025, 2, 3, 8, 0);
const DAY = 24 * HOUR;

function record(profession: string, createdAt: number, extra: Partial<SnpRecord> = {}): SnpRecord {
  const eligible = extra.eligible ?? true;
  return {
    profession,
    eligible,
    status: eligible ? "dispatching" : "redirected",
    createdAt,
    ...(eligible ? { dispatchedAt: createdAt, deadlineAt: createdAt + 2 * HOUR } : {}),
    ...extra,
  };
}
const accepted = (at: number, minutes: number, extra: Partial<SnpRecord> = {}): Partial<SnpRecord> => ({ status: "accepted", acceptedAt: at + minutes * MIN, ...extra });

/** Request 1 goes through the state machine: a lifecycle state is a record as it is. */
function viaLifecycle(): SnpRecord {
  const nurse = userId("@ide.a:cpts.test");
  let state = openRequest(
    { id: requestId("w10-1"), requester: userId("@regulation:cpts.test"), profession: "infirmier", eligible: true, careDelayHours: 6, modes: ["domicile"] },
    MON,
  ).state;
  state = apply(state, { type: "dispatch", at: MON, waves: [{ candidates: [nurse], durationMs: 30 * MIN }] }).state;
  state = apply(state, { type: "accept", at: MON + 10 * MIN, by: nurse, mode: "domicile" }).state;
  return apply(state, { type: "done", at: MON + 5 * HOUR, by: nurse }).state;
}

const t2 = MON + 2 * HOUR;
const t3 = MON + DAY;
const t4 = MON + DAY + 3 * HOUR;
const t8 = Date.UTC(2025, 2, 9, 22, 30); // Sunday 23:30 in Paris: still week 10
const t9 = Date.UTC(2025, 2, 9, 23, 30); // Monday 00:30 in Paris: week 11
const WEEK: readonly SnpRecord[] = [
  viaLifecycle(),
  record("infirmier", t2, { ...accepted(t2, 30), status: "done", doneAt: t2 + 30 * HOUR }),
  record("medecin", t3, { ...accepted(t3, 50), status: "not-done" }),
  // A CPTS with a 1 h deadline whose acceptance came late: counted as accepted, not within the deadline.
  record("medecin", t4, { ...accepted(t4, 90), deadlineAt: t4 + HOUR, status: "done", doneAt: t4 + 50 * HOUR }),
  record("masseur kinesitherapeute", MON + 2 * DAY, { status: "closed", escalatedAt: MON + 2 * DAY + 2 * HOUR, outcome: "garde" }),
  record("medecin", MON + 3 * DAY, { status: "callback-claimed", escalatedAt: MON + 3 * DAY + 2 * HOUR }),
  record("medecin", MON + 4 * DAY, { eligible: false }),
  record("infirmier", t8, { ...accepted(t8, 20), status: "done", doneAt: t8 + 20 * HOUR }),
  record("infirmier", t9, { ...accepted(t9, 5), status: "done", doneAt: t9 + 2 * HOUR }),
];

describe("ACI indicators on a scripted week", () => {
  it("gives the exact totals, median and p90 time to acceptance", () => {
    expect(computeIndicators(WEEK)).toEqual({
      requests: 9,
      eligible: 8,
      ineligible: 1,
      accepted: 6,
      acceptedWithinDeadline: 5,
      medianMinutesToAccept: 25, // 5 10 20 | 30 50 90
      p90MinutesToAccept: 90,
      done: 5,
      doneWithin24h: 3,
      doneWithin48h: 4,
      notDone: 1,
      escalated: 2,
      escalationOutcomes: { garde: 1, "samu-15": 0, "own-gp": 0, "seen-by-member": 0, unreachable: 0, "no-longer-needed": 0, pending: 1 },
    });
  });

  it("groups by ISO week in Paris time and by profession", () => {
    const weeks = indicatorsBy(WEEK, "week");
    expect(weeks.map((w) => [w.key, w.indicators.requests, w.indicators.medianMinutesToAccept])).toEqual([
      ["2025-W10", 8, 30],
      ["2025-W11", 1, 5],
    ]);
    expect(indicatorsBy(WEEK, "profession").map((g) => [g.key, g.indicators.requests])).toEqual([
      ["infirmier", 4],
      ["masseur kinesitherapeute", 1],
      ["medecin", 4],
    ]);
  });

  it("exports a semicolon CSV with French headers, one row per week and a total", () => {
    const lines = indicatorsCsv(WEEK).split("\r\n");
    expect(lines[0]).toBe(
      "Semaine;Demandes;Éligibles;Non éligibles;Acceptées;Acceptées dans le délai de réponse;Délai médian d'acceptation (min);" +
        "Délai d'acceptation 90e centile (min);Réalisées;Réalisées sous 24 h;Réalisées sous 48 h;Non réalisées;Escalades;" +
        "Escalades orientées vers la garde;Escalades orientées vers le 15;Escalades orientées vers le médecin traitant;" +
        "Escalades prises en charge par un membre;Escalades patient injoignable;Escalades sans objet;Escalades en cours",
    );
    expect(lines[1]).toBe("2025-W10;8;7;1;5;4;30;90;4;2;3;1;2;1;0;0;0;0;0;1");
    expect(lines[2]).toBe("2025-W11;1;1;0;1;1;5;5;1;1;1;0;0;0;0;0;0;0;0;0");
    expect(lines[3]).toBe("Total;9;8;1;6;5;25;90;5;3;4;1;2;1;0;0;0;0;0;1");
    expect(lines[4]).toBe("");
    expect(lines[0]!.split(";")).toHaveLength(CSV_HEADERS.length + 1);
  });

  it("writes decimal commas and leaves the time empty when nothing was accepted", () => {
    const two = [record("infirmier", MON, accepted(MON, 5)), record("infirmier", MON, accepted(MON, 10))];
    expect(indicatorsCsv(two, "profession").split("\r\n")[1]).toMatch(/^infirmier;2;2;0;2;2;7,5;10;/);
    expect(indicatorsCsv([record("medecin", MON)]).split("\r\n")[1]).toMatch(/^2025-W10;1;1;0;0;0;;;0;/);
  });
});

describe("median and nearest-rank p90", () => {
  it("follow their textbook definitions", () => {
    const values = [12, 3, 7, 1, 9, 4, 15, 6, 2, 10, 8]; // 11 values
    expect(median(values)).toBe(7);
    expect(percentile(values, 90)).toBe(12); // rank ceil(9.9) = 10 of 1 2 3 4 6 7 8 9 10 12 15
    expect(median([4, 1])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
  });
});
