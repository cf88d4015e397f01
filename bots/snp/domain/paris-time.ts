// The CPTS lives in Europe/Paris whatever the server's time zone: practice hours and ISO
// weeks are read in local time, daylight saving included.

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
  timeZone: "Europe/Paris",
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
