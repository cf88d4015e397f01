// The CPTS lives in Europe/Paris whatever the server's time zone: practice hours, ISO weeks
// and the dates people read are Paris wall-clock time, daylight saving included.
import { Temporal } from "temporal-polyfill";

export const PARIS_TIME_ZONE = "Europe/Paris";

/** 0 = Monday … 6 = Sunday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface ParisTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

const FORMAT = new Intl.DateTimeFormat("en-US", {
  timeZone: PARIS_TIME_ZONE,
  weekday: "short",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const WEEKDAYS: Readonly<Record<string, Weekday>> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export function parisTime(epochMs: number): ParisTime {
  const parts: Record<string, string> = {};
  for (const part of FORMAT.formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday ?? ""] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** ISO 8601 week of the Paris calendar day, e.g. "2025-W03" (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(epochMs: number): string {
  const t = parisTime(epochMs);
  const date = new Date(Date.UTC(t.year, t.month - 1, t.day));
  date.setUTCDate(date.getUTCDate() + 3 - t.weekday); // the Thursday of this week decides the year
  const weekYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  const week = 1 + Math.floor((date.getTime() - 3 * 86_400_000 - firstMonday) / (7 * 86_400_000));
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}

/** The instant Paris local midnight starts that calendar day (daylight saving included). */
export function parisMidnight(year: number, month: number, day: number): number {
  // Out-of-range days roll over like Date.UTC does (day 0 = the last day of the month before).
  const utcMidnight = Date.UTC(year, month - 1, day);
  day = new Date(utcMidnight).getUTCDate();
  // Paris is UTC+1 or UTC+2: try both offsets, keep the one that reads back as local midnight.
  for (const offsetHours of [1, 2]) {
    const candidate = utcMidnight - offsetHours * 3_600_000;
    const t = parisTime(candidate);
    if (t.minutes === 0 && t.day === day) return candidate;
  }
  return utcMidnight - 3_600_000;
}

const twoDigits = (n: number): string => String(n).padStart(2, "0");

/** "2026-11-25 14:32": sortable, for CSV files. */
export function isoMinute(epochMs: number): string {
  const t = parisTime(epochMs);
  return `${t.year}-${twoDigits(t.month)}-${twoDigits(t.day)} ${clockTime(t)}`;
}

/** "25/11 14:32": for messages. */
export function shortDateTime(epochMs: number): string {
  const t = parisTime(epochMs);
  return `${twoDigits(t.day)}/${twoDigits(t.month)} ${clockTime(t)}`;
}

/** "25/11/2026": for messages. */
export function shortDate(epochMs: number): string {
  const t = parisTime(epochMs);
  return `${twoDigits(t.day)}/${twoDigits(t.month)}/${t.year}`;
}

/** "2026-11-25": the Paris calendar day, for file names and period labels. */
export function isoDay(epochMs: number): string {
  const t = parisTime(epochMs);
  return `${t.year}-${twoDigits(t.month)}-${twoDigits(t.day)}`;
}

/** The calendar day in Paris, for comparisons with a birth date. */
export function parisDay(epochMs: number): { year: number; month: number; day: number } {
  const { year, month, day } = parisTime(epochMs);
  return { year, month, day };
}

function clockTime(t: ParisTime): string {
  return `${twoDigits(Math.floor(t.minutes / 60))}:${twoDigits(t.minutes % 60)}`;
}

/** The Paris calendar day of an instant, for reading "demain", "lundi" or "24/11" as people mean them. */
export function parisToday(epochMs: number): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(PARIS_TIME_ZONE).toPlainDate();
}
