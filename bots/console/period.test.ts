import { describe, expect, it } from "vitest";
import { periodQuery, selectPeriod, weeksOf } from "./period.ts";

/** Wednesday 18 November 2026, 15:00 in Paris. */
const NOW = Date.UTC(2026, 10, 18, 14, 0);
const parisMidnight = (y: number, m: number, d: number, offsetHours = 1): number => Date.UTC(y, m - 1, d) - offsetHours * 3_600_000;

describe("selectPeriod", () => {
  it("defaults to the last 4 weeks, today included", () => {
    const selection = selectPeriod({}, NOW);
    expect(selection).toMatchObject({ ok: true, period: { choice: "4s", fromDate: "2026-10-22", toDate: "2026-11-18", to: parisMidnight(2026, 11, 19) } });
  });

  it("reads the presets as !snp stats does", () => {
    expect(selectPeriod({ periode: "semaine" }, NOW)).toMatchObject({ ok: true, period: { fromDate: "2026-11-16", toDate: "2026-11-18" } });
    expect(selectPeriod({ periode: "mois" }, NOW)).toMatchObject({ ok: true, period: { fromDate: "2026-11-01", toDate: "2026-11-18" } });
    expect(selectPeriod({ periode: "annee" }, NOW)).toMatchObject({ ok: true, period: { fromDate: "2026-01-01" } });
    expect(selectPeriod({ periode: "30j" }, NOW)).toMatchObject({ ok: true, period: { fromDate: "2026-10-20" } });
  });

  it("takes two dates, both days included, and says so when they cannot be used", () => {
    const selection = selectPeriod({ periode: "dates", du: "2026-11-16", au: "2026-11-22" }, NOW);
    expect(selection).toMatchObject({ ok: true, period: { from: parisMidnight(2026, 11, 16), to: parisMidnight(2026, 11, 23), label: "2026-11-16_2026-11-22" } });
    expect(selectPeriod({ du: "2026-11-16", au: "2026-11-22" }, NOW).ok).toBe(true);
    for (const [query, words] of [
      [{ periode: "dates", du: "2026-11-16" }, "date de fin"],
      [{ periode: "dates", du: "2026-11-22", au: "2026-11-16" }, "la fin précède"],
      [{ periode: "dates", du: "2026-02-30", au: "2026-03-01" }, "ne sont pas valides"],
      [{ periode: "dates", du: "2020-01-01", au: "2026-01-01" }, "limitée à 731 jours"],
      [{ periode: "siecle" }, "n'existe pas"],
    ] as const) {
      const refused = selectPeriod(query, NOW);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.problem).toContain(words);
        expect(refused.fallback.choice).toBe("4s");
      }
    }
  });

  it("gives back a query string that selects the same period", () => {
    const custom = selectPeriod({ periode: "dates", du: "2026-11-16", au: "2026-11-22" }, NOW);
    if (!custom.ok) throw new Error("expected a period");
    expect(periodQuery(custom.period)).toBe("periode=dates&du=2026-11-16&au=2026-11-22");
    expect(selectPeriod(Object.fromEntries(new URLSearchParams(periodQuery(custom.period))), NOW)).toEqual(custom);
  });
});

describe("weeksOf", () => {
  it("lists the ISO weeks a period touches, each ending at the next Monday or at the period's end", () => {
    const weeks = weeksOf({ from: parisMidnight(2026, 11, 12), to: parisMidnight(2026, 11, 24) });
    expect(weeks).toEqual([
      { week: "2026-W46", end: parisMidnight(2026, 11, 16) },
      { week: "2026-W47", end: parisMidnight(2026, 11, 23) },
      { week: "2026-W48", end: parisMidnight(2026, 11, 24) },
    ]);
  });

  it("keeps whole Paris days across the October daylight saving change and the new year", () => {
    const weeks = weeksOf({ from: parisMidnight(2026, 10, 19, 2), to: parisMidnight(2026, 11, 2) });
    expect(weeks.map((w) => w.week)).toEqual(["2026-W43", "2026-W44"]);
    expect(weeks[0]!.end).toBe(parisMidnight(2026, 10, 26));
    expect(weeksOf({ from: parisMidnight(2026, 12, 28), to: parisMidnight(2027, 1, 5) }).map((w) => w.week)).toEqual(["2026-W53", "2027-W01"]);
  });
});
