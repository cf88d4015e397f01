import { describe, expect, it } from "vitest";
import { attendance, calendarFile, parseRcp, reminderDueAt, type CallMembershipObservation } from "./rcp.ts";

// Tuesday 10 March 2026, 09:00 in Paris (UTC+1).
const NOW = Date.parse("2026-03-10T08:00:00Z");
const words = (s: string) => s.split(" ").filter((w) => w !== "");
const MIN = 60_000;

describe("parseRcp: `!rcp [date] heure [durée] [objet]` in Paris time", () => {
  it.each([
    ["14h", "2026-03-10T13:00:00Z", 60, ""],
    ["12/03 14h30 45min point plaie", "2026-03-12T13:30:00Z", 45, "point plaie"],
    ["demain 8:15 1h30", "2026-03-11T07:15:00Z", 90, ""],
    ["jeudi 18h 30mn adaptation antalgie", "2026-03-12T17:00:00Z", 30, "adaptation antalgie"],
    ["mardi 9h05", "2026-03-10T08:05:00Z", 60, ""],
    // After the change to summer time (29 March 2026), Paris is UTC+2.
    ["02/04/2026 14h", "2026-04-02T12:00:00Z", 60, ""],
    // A day already past this year is next year's.
    ["05/01 10h", "2027-01-05T09:00:00Z", 60, ""],
  ])("%s", (input, iso, durationMin, subject) => {
    expect(parseRcp(words(input), NOW)).toEqual({ ok: true, startsAt: Date.parse(iso), durationMin, subject });
  });

  it.each([
    ["", { problem: "missing-time" }],
    ["demain", { problem: "missing-time" }],
    ["31/02 14h", { problem: "unknown-date", input: "31/02" }],
    ["demain 25h", { problem: "unknown-time", input: "25h" }],
    ["demain quatorze", { problem: "unknown-time", input: "quatorze" }],
    ["demain 14h 5min", { problem: "bad-duration", input: "5min", min: 10, max: 480 }],
    ["8h30", { problem: "in-past" }],
    ["10/03/2028 10h", { problem: "too-far", days: 365 }],
    [`demain 14h ${"x".repeat(121)}`, { problem: "subject-too-long", max: 120 }],
  ])("refuses %j", (input, problem) => {
    expect(parseRcp(words(input), NOW)).toEqual({ ok: false, ...problem });
  });
});

describe("reminderDueAt", () => {
  it("reminds 15 minutes before, unless that is already past", () => {
    const start = NOW + 60 * MIN;
    expect(reminderDueAt(start, NOW)).toBe(start - 15 * MIN);
    expect(reminderDueAt(NOW + 10 * MIN, NOW)).toBeUndefined();
  });
});

describe("calendarFile", () => {
  it("is an RFC 5545 event in UTC with the join link and a 15-minute alarm", () => {
    const ics = calendarFile({ uid: "rcp-7@cpts.test", startsAt: Date.parse("2026-03-12T13:30:00Z"), durationMin: 45, title: "RCP C-7K3F", description: "Rejoindre : salon du cas", url: "https://element.cpts.test/#/room/!a:cpts.test" });
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain("UID:rcp-7@cpts.test");
    expect(ics).toContain("DTSTART:20260312T133000Z");
    expect(ics).toContain("DURATION:PT45M");
    expect(ics).toContain("SUMMARY:RCP C-7K3F");
    expect(ics).toMatch(/BEGIN:VALARM[\s\S]*TRIGGER:-PT15M[\s\S]*END:VALARM/);
  });
});

describe("attendance from call membership events", () => {
  const from = Date.parse("2026-03-12T13:15:00Z");
  const to = Date.parse("2026-03-12T14:30:00Z");
  const at = (hhmm: string) => Date.parse(`2026-03-12T${hhmm}:00Z`);
  const o = (userId: string, deviceId: string, hhmm: string, joined: boolean): CallMembershipObservation => ({ userId, deviceId, at: at(hhmm), joined });

  it("merges each person's devices, counts those still in the call until the window's end", () => {
    const result = attendance(
      [
        o("@mg:t", "PC", "13:29", true),
        o("@ide:t", "PHONE", "13:31", true),
        o("@ide:t", "PHONE", "13:50", false),
        o("@ide:t", "PC", "13:45", true),
        o("@ide:t", "PC", "14:05", false),
        o("@mg:t", "PC", "14:15", false),
        o("@kine:t", "TAB", "14:20", true),
      ],
      from,
      to,
    );
    expect(result).toEqual({
      startedAt: at("13:29"),
      endedAt: to,
      participants: [
        { userId: "@mg:t", minutes: 46 },
        { userId: "@ide:t", minutes: 34 },
        { userId: "@kine:t", minutes: 10 },
      ],
    });
  });

  it("ignores calls outside the window, repeated joins, and leaves without a join", () => {
    const result = attendance([o("@mg:t", "PC", "10:00", true), o("@mg:t", "PC", "10:30", false), o("@ide:t", "A", "13:40", false), o("@sf:t", "B", "13:40", true), o("@sf:t", "B", "13:41", true), o("@sf:t", "B", "13:50", false)], from, to);
    expect(result).toEqual({ startedAt: at("13:40"), endedAt: at("13:50"), participants: [{ userId: "@sf:t", minutes: 10 }] });
    expect(attendance([], from, to)).toEqual({ participants: [] });
  });
});

describe("callMembershipOf", () => {
  it("reads the device and whether the member joined or left, from each state key form", async () => {
    const { callMembershipOf } = await import("./rcp.ts");
    expect(callMembershipOf("@mg:t", "_@mg:t_PCDEVICE_m.call", { application: "m.call", device_id: "PCDEVICE", focus_active: { type: "livekit" } }, 5)).toEqual({ userId: "@mg:t", deviceId: "PCDEVICE", at: 5, joined: true });
    expect(callMembershipOf("@mg:t", "_@mg:t_PCDEVICE_m.call", {}, 6)).toEqual({ userId: "@mg:t", deviceId: "PCDEVICE", at: 6, joined: false });
    expect(callMembershipOf("@mg:t", "@mg:t_PHONE", {}, 7)).toMatchObject({ deviceId: "PHONE", joined: false });
    expect(callMembershipOf("@mg:t", "@mg:t", { memberships: [{ device_id: "OLD" }] }, 8)).toMatchObject({ deviceId: "OLD", joined: true });
    expect(callMembershipOf("@mg:t", "@mg:t", { memberships: [] }, 9)).toMatchObject({ joined: false });
  });
});
