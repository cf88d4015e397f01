import { describe, expect, it } from "vitest";
import { parsePeriod } from "./period.ts";

/** Wednesday 25 November 2026, 15:00 in Paris. */
const NOW = Date.UTC(2026, 10, 25, 14, 0);

describe("parsePeriod", () => {
  it("reads the words however they are typed, in French or English", () => {
    for (const word of ["année", "ANNEE", "an", "year"]) expect(parsePeriod([word], NOW)?.label).toBe("2026-01-01_2026-11-25");
    for (const word of ["30j", "30 jours", "30-jours", "30J"]) expect(parsePeriod([word], NOW)?.label).toBe("2026-10-27_2026-11-25");
    expect(parsePeriod(["week"], NOW)?.label).toBe("2026-11-23_2026-11-25");
    expect(parsePeriod(["month"], NOW)?.label).toBe("2026-11-01_2026-11-25");
  });

  it("ends at the next Paris midnight, also on the night the clocks go back", () => {
    const saturdayNight = Date.UTC(2026, 9, 24, 21, 30);
    expect(parsePeriod(["1j"], saturdayNight)).toEqual({ from: Date.UTC(2026, 9, 23, 22), to: Date.UTC(2026, 9, 24, 22), label: "2026-10-24_2026-10-24" });
    const sundayEvening = Date.UTC(2026, 9, 25, 20);
    expect(parsePeriod(["1j"], sundayEvening)?.to).toBe(Date.UTC(2026, 9, 25, 23));
  });
});
