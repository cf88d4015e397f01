import { describe, expect, it } from "vitest";
import { localize } from "../../core/i18n/lang.ts";
import type { UserId } from "../domain/ids.ts";
import { GARDE_MESSAGES as M } from "./messages.ts";
import { formatDuration, nextShiftAfter, onDutyAt, overlapping, parisIso, parseShiftDeclaration, shiftId, type Shift, type ShiftParse } from "./shifts.ts";

const H = 3_600_000;
/** Friday 20 November 2026, 10:00 in Paris (UTC+1). */
const FRIDAY_NOV_20 = Date.UTC(2026, 10, 20, 9, 0);
const MARTIN = "@dr.martin:cpts.fr";

function ok(parse: ShiftParse) {
  if (!parse.ok) throw new Error(`expected a shift, got: ${localize(parse.problem.text, "en", parse.problem.params)}`);
  return parse;
}

function problemOf(input: string, now = FRIDAY_NOV_20) {
  const parse = parseShiftDeclaration(input, now);
  if (parse.ok) throw new Error(`expected a refusal of ${input}`);
  return parse.problem;
}

describe("parseShiftDeclaration: what a coordinator types", () => {
  it.each([
    ["day/month and hours", `${MARTIN} 24/11 20h 25/11 8h`],
    ["ISO dates and hh:mm", `${MARTIN} 2026-11-24 20:00 2026-11-25 08:00`],
    ["full French dates", `${MARTIN} 24/11/2026 20h00 25/11/2026 8H`],
    ["two-digit years", `${MARTIN} 24/11/26 20h 25/11/26 8h`],
    ["an end without date, the next morning", `${MARTIN} 24/11 20h 8h`],
    ["a weekday", `${MARTIN} mardi 20h 8h`],
  ])("reads %s in Paris time (winter, UTC+1)", (_, input) => {
    const { draft, notes } = ok(parseShiftDeclaration(input, FRIDAY_NOV_20));
    expect(draft).toEqual({ userId: MARTIN, startsAt: Date.UTC(2026, 10, 24, 19, 0), endsAt: Date.UTC(2026, 10, 25, 7, 0) });
    expect(notes).toEqual([]);
  });

  it("reads « demain », a time alone for today, « minuit », and the label after the end", () => {
    expect(ok(parseShiftDeclaration(`${MARTIN} demain 20h 8h`, FRIDAY_NOV_20)).draft).toMatchObject({
      startsAt: Date.UTC(2026, 10, 21, 19),
      endsAt: Date.UTC(2026, 10, 22, 7),
    });
    expect(ok(parseShiftDeclaration(`${MARTIN} 12h 20h30`, FRIDAY_NOV_20)).draft).toMatchObject({
      startsAt: Date.UTC(2026, 10, 20, 11),
      endsAt: Date.UTC(2026, 10, 20, 19, 30),
    });
    expect(ok(parseShiftDeclaration(`${MARTIN} aujourd'hui 20h minuit`, FRIDAY_NOV_20)).draft.endsAt).toBe(Date.UTC(2026, 10, 20, 23));
    expect(ok(parseShiftDeclaration(`${MARTIN} Après-demain 8h 20h  garde de jour  Douai`, FRIDAY_NOV_20)).draft).toMatchObject({
      startsAt: Date.UTC(2026, 10, 22, 7),
      label: "garde de jour Douai",
    });
  });

  it("takes today for the weekday of today, and a same-time end as 24 hours", () => {
    const { draft } = ok(parseShiftDeclaration(`${MARTIN} vendredi 20h 20h`, FRIDAY_NOV_20));
    expect(draft.startsAt).toBe(Date.UTC(2026, 10, 20, 19));
    expect(draft.endsAt - draft.startsAt).toBe(24 * H);
  });

  it("gives « 03/01 » typed in late December to the coming January", () => {
    const { draft } = ok(parseShiftDeclaration(`${MARTIN} 03/01 8h 20h`, Date.UTC(2026, 11, 28, 9)));
    expect(draft.startsAt).toBe(Date.UTC(2027, 0, 3, 7));
  });

  it("accepts exactly 72 hours and a shift already begun", () => {
    expect(ok(parseShiftDeclaration(`${MARTIN} 24/11 8h 27/11 8h`, FRIDAY_NOV_20)).draft.endsAt).toBe(Date.UTC(2026, 10, 27, 7));
    expect(ok(parseShiftDeclaration(`${MARTIN} 8h 20h`, FRIDAY_NOV_20)).draft.startsAt).toBe(Date.UTC(2026, 10, 20, 7));
  });

  it.each([
    ["", M.missingUser, {}],
    ["dr.martin 24/11 20h 8h", M.notUserId, { input: "dr.martin" }],
    ["Dr Martin 24/11 20h 8h", M.notUserId, { input: "Dr" }],
    [MARTIN, M.missingStart, {}],
    [`${MARTIN} 24/11 20h`, M.missingEnd, {}],
    [`${MARTIN} 24/11`, M.missingTime, { date: "24/11" }],
    [`${MARTIN} 24/11 20h 25/11`, M.missingTime, { date: "25/11" }],
    [`${MARTIN} 31/11 20h 8h`, M.unknownDate, { input: "31/11" }],
    [`${MARTIN} 2026-02-30 20h 8h`, M.unknownDate, { input: "2026-02-30" }],
    [`${MARTIN} 24/11/ 20h 8h`, M.unknownDate, { input: "24/11/" }],
    [`${MARTIN} 24/11 25h 8h`, M.unknownTime, { input: "25h" }],
    [`${MARTIN} 24/11 20h 8h75`, M.unknownTime, { input: "8h75" }],
    [`${MARTIN} 24/11 20 8`, M.unknownTime, { input: "20" }],
    [`${MARTIN} 24/11 soir 8h`, M.unknownTime, { input: "soir" }],
    [`${MARTIN} bientôt 20h 8h`, M.unknownStart, { input: "bientôt" }],
    [`${MARTIN} 20h matin`, M.unknownEnd, { input: "matin" }],
    [`${MARTIN} 25/11 20h 24/11 8h`, M.endBeforeStart, { start: "25/11 20h", end: "24/11 8h" }],
    [`${MARTIN} 24/11 20h 24/11 20h`, M.endBeforeStart, { start: "24/11 20h", end: "24/11 20h" }],
    [`${MARTIN} 24/11 8h 28/11 8h`, M.tooLong, { duration: "96 h", max: 72 }],
    [`${MARTIN} 24/11 8h 27/11 8h01`, M.tooLong, { duration: "72 h 01", max: 72 }],
    [`${MARTIN} 18/11 20h 19/11 8h`, M.inPast, { end: "19/11 8h" }],
    [`${MARTIN} 6h 9h`, M.inPast, { end: "9h" }],
    [`${MARTIN} 2028-01-10 8h 20h`, M.tooFarAhead, { start: "2028-01-10 8h" }],
    [`${MARTIN} 24/11 20h 8h ${"x".repeat(81)}`, M.labelTooLong, { max: 80 }],
  ])("refuses %j politely", (input, text, params) => {
    expect(problemOf(input)).toEqual({ text, params });
  });

  it("words every refusal in both languages with its placeholders filled", () => {
    const problem = problemOf(`${MARTIN} 31/11 20h 8h`);
    expect(localize(problem.text, "fr", problem.params)).toContain("« 31/11 »");
    expect(localize(problem.text, "en", problem.params)).toContain('"31/11"');
    for (const message of Object.values(M)) expect(message.fr).not.toBe(message.en);
  });
});

describe("parseShiftDeclaration across daylight saving changes", () => {
  it("counts the autumn night (2026-10-25, clocks go back) as 13 hours", () => {
    const { draft, notes } = ok(parseShiftDeclaration(`${MARTIN} 24/10 20h 25/10 8h`, Date.UTC(2026, 9, 20)));
    expect(draft.startsAt).toBe(Date.UTC(2026, 9, 24, 18)); // CEST, UTC+2
    expect(draft.endsAt).toBe(Date.UTC(2026, 9, 25, 7)); // CET, UTC+1
    expect(draft.endsAt - draft.startsAt).toBe(13 * H);
    expect(notes).toEqual([]);
  });

  it("counts the spring night (2027-03-28, clocks go forward) as 11 hours", () => {
    const { draft } = ok(parseShiftDeclaration(`${MARTIN} samedi 20h 8h`, Date.UTC(2027, 2, 26, 9)));
    expect(draft.startsAt).toBe(Date.UTC(2027, 2, 27, 19));
    expect(draft.endsAt).toBe(Date.UTC(2027, 2, 28, 6));
    expect(draft.endsAt - draft.startsAt).toBe(11 * H);
  });

  it("refuses 2h30 on 2027-03-28, which does not exist in Paris", () => {
    expect(problemOf(`${MARTIN} 27/03 20h 28/03 2h30`, Date.UTC(2027, 2, 1))).toEqual({ text: M.skippedTime, params: { input: "28/03 2h30" } });
    expect(problemOf(`${MARTIN} 28/03/2027 2:00 8h`, Date.UTC(2027, 2, 1))).toEqual({ text: M.skippedTime, params: { input: "28/03/2027 2:00" } });
  });

  it("resolves 2h30 on 2026-10-25, which happens twice, towards the longer shift, and says so", () => {
    const now = Date.UTC(2026, 9, 1);
    const ending = ok(parseShiftDeclaration(`${MARTIN} 24/10 20h 25/10 2h30`, now));
    expect(ending.draft.endsAt).toBe(Date.UTC(2026, 9, 25, 1, 30)); // the second 2h30, in CET
    expect(ending.notes).toEqual([{ text: M.repeatedEnd, params: { input: "25/10 2h30" } }]);
    const starting = ok(parseShiftDeclaration(`${MARTIN} 25/10 2h30 8h`, now));
    expect(starting.draft.startsAt).toBe(Date.UTC(2026, 9, 25, 0, 30)); // the first 2h30, in CEST
    expect(starting.draft.endsAt - starting.draft.startsAt).toBe(6.5 * H);
    expect(starting.notes).toEqual([{ text: M.repeatedStart, params: { input: "25/10 2h30" } }]);
  });
});

describe("who is on duty", () => {
  const T = Date.UTC(2026, 10, 24, 19);
  const shift = (id: number, user: string, from: number, to: number): Shift => ({ id: shiftId(id), userId: user as UserId, startsAt: T + from * H, endsAt: T + to * H });
  const night = shift(1, "@anne:cpts.test", 0, 12);
  const evening = shift(2, "@marc:cpts.test", -2, 4);
  const late = shift(3, "@paul:cpts.test", 4, 12);
  const tomorrow = shift(4, "@lea:cpts.test", 24, 36);
  const rota = [tomorrow, late, night, evening];

  it("returns every overlapping shift, earliest start first; start included, end excluded", () => {
    expect(onDutyAt(rota, T + 1 * H)).toEqual([evening, night]);
    expect(onDutyAt(rota, T + 4 * H)).toEqual([night, late]);
    expect(onDutyAt(rota, T - 2 * H)).toEqual([evening]);
    expect(onDutyAt(rota, T + 12 * H)).toEqual([]);
  });

  it("finds the next shift to start", () => {
    expect(nextShiftAfter(rota, T)).toEqual(late);
    expect(nextShiftAfter(rota, T + 4 * H)).toEqual(tomorrow);
    expect(nextShiftAfter(rota, T + 24 * H)).toBeUndefined();
  });

  it("reports overlaps, but not shifts that only touch", () => {
    expect(overlapping(rota, { userId: "@x:cpts.test" as UserId, startsAt: T + 3 * H, endsAt: T + 5 * H })).toEqual([late, night, evening]);
    expect(overlapping(rota, { userId: "@x:cpts.test" as UserId, startsAt: T + 12 * H, endsAt: T + 24 * H })).toEqual([]);
  });
});

describe("formatDuration", () => {
  it("writes hours and minutes", () => {
    expect(formatDuration(13 * H)).toBe("13 h");
    expect(formatDuration(6.5 * H)).toBe("6 h 30");
    expect(formatDuration(72 * H + 60_000)).toBe("72 h 01");
  });
});

describe("parisIso", () => {
  it("writes the Paris offset of the season", () => {
    expect(parisIso(Date.UTC(2026, 10, 24, 19))).toBe("2026-11-24T20:00:00+01:00");
    expect(parisIso(Date.UTC(2026, 6, 14, 8, 30, 15, 500))).toBe("2026-07-14T10:30:15+02:00");
  });
});
