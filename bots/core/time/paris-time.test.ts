import { describe, expect, it } from "vitest";
import { isoDay, isoMinute, isoWeek, parisDay, parisMidnight, parisTime, parisToday, shortDate, shortDateTime } from "./paris-time.ts";

const HOUR = 3_600_000;

describe("Paris wall-clock time", () => {
  it("reads the local day, weekday and minutes, daylight saving included", () => {
    // Sunday 29 March 2026: 01:59 UTC+1, then 03:00 UTC+2.
    expect(parisTime(Date.UTC(2026, 2, 29, 0, 59))).toEqual({ year: 2026, month: 3, day: 29, weekday: 6, minutes: 1 * 60 + 59 });
    expect(parisTime(Date.UTC(2026, 2, 29, 1, 0))).toEqual({ year: 2026, month: 3, day: 29, weekday: 6, minutes: 3 * 60 });
    // 23:30 UTC on New Year's Eve is already the next year in Paris.
    expect(parisTime(Date.UTC(2026, 11, 31, 23, 30))).toMatchObject({ year: 2027, month: 1, day: 1, weekday: 4, minutes: 30 });
  });

  it("finds local midnight in winter, in summer and on the days the clocks change", () => {
    expect(parisMidnight(2026, 1, 15)).toBe(Date.UTC(2026, 0, 14, 23));
    expect(parisMidnight(2026, 7, 15)).toBe(Date.UTC(2026, 6, 14, 22));
    expect(parisMidnight(2026, 3, 29)).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parisMidnight(2026, 10, 25)).toBe(Date.UTC(2026, 9, 24, 22));
    // Day 0 is the last day of the month before, as with Date.UTC.
    expect(parisMidnight(2026, 3, 0)).toBe(Date.UTC(2026, 1, 27, 23));
  });

  it("names ISO weeks by the Paris calendar day", () => {
    expect(isoWeek(Date.UTC(2026, 0, 1, 12))).toBe("2026-W01");
    expect(isoWeek(Date.UTC(2027, 0, 1, 12))).toBe("2026-W53");
    // Sunday 23:30 UTC is Monday in Paris: the next week.
    expect(isoWeek(Date.UTC(2026, 10, 22, 23, 30))).toBe("2026-W48");
  });

  it("writes dates as people read them", () => {
    const instant = Date.UTC(2026, 10, 25, 13, 32);
    expect(isoMinute(instant)).toBe("2026-11-25 14:32");
    expect(shortDateTime(instant)).toBe("25/11 14:32");
    expect(shortDate(instant)).toBe("25/11/2026");
    expect(isoDay(instant)).toBe("2026-11-25");
    expect(parisDay(Date.UTC(2026, 11, 31, 23, 30))).toEqual({ year: 2027, month: 1, day: 1 });
  });

  it("formats every hour of a year as the French Paris clock does", () => {
    const french = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    for (let instant = Date.UTC(2026, 0, 1, 0, 7); instant < Date.UTC(2027, 0, 1); instant += 7 * HOUR) {
      const p = Object.fromEntries(french.formatToParts(instant).map((part) => [part.type, part.value]));
      expect(isoMinute(instant)).toBe(`${p["year"]}-${p["month"]}-${p["day"]} ${p["hour"]}:${p["minute"]}`);
    }
  });
});

describe("parisToday", () => {
  it("is the Paris calendar day, not the server's", () => {
    expect(parisToday(Date.UTC(2026, 11, 31, 23, 30)).toString()).toBe("2027-01-01");
    expect(parisToday(Date.UTC(2026, 6, 14, 21, 59)).toString()).toBe("2026-07-14");
    expect(parisToday(Date.UTC(2026, 6, 14, 22, 0)).toString()).toBe("2026-07-15");
  });
});
