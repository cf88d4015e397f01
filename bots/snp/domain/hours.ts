// Practice hours as a professional types them in their profile:
//
//   "lun-ven 8-19, sam 8-12"
//   "lun mar jeu ven 8h30-12h30 14h-19h; sam 9-12"
//
// Rules are separated by "," or ";". Each rule names days (lun mar mer jeu ven sam dim, or a
// range "lun-ven") then one or more time ranges (8-19, 8h30-12h, 8:30-12:30). A range ends
// after it starts, the same day (24 allowed as an end); a night shift is an on-duty status,
// not practice hours. Times are Europe/Paris wall-clock times.
import type { Localized } from "../../core/i18n/lang.ts";
import { parisTime, type Weekday } from "../../core/time/paris-time.ts";

export interface OpeningRange {
  readonly days: readonly Weekday[];
  /** Minutes since midnight, start included, end excluded. */
  readonly from: number;
  readonly to: number;
}
export type PracticeHours = readonly OpeningRange[];

export type HoursParse = { readonly ok: true; readonly hours: PracticeHours } | { readonly ok: false; readonly text: Localized; readonly params: { input: string } };

export const HOURS_INVALID: Localized = {
  fr: "Je ne comprends pas les horaires « {input} ». Écrivez-les ainsi : lun-ven 8-19, sam 8h30-12h.",
  en: "I do not understand the hours \"{input}\". Please write them like: lun-ven 8-19, sam 8h30-12h.",
};

const DAYS: Readonly<Record<string, Weekday>> = { lun: 0, mar: 1, mer: 2, jeu: 3, ven: 4, sam: 5, dim: 6 };
const TIME = "(\\d{1,2})(?:[h:](\\d{2})?)?";
const TIME_RANGE = new RegExp(`^${TIME}-${TIME}$`, "i");

export function parsePracticeHours(input: string): HoursParse {
  const ranges: OpeningRange[] = [];
  const rules = input.split(/[,;]/).map((r) => r.trim()).filter((r) => r !== "");
  for (const rule of rules) {
    const parsed = parseRule(rule.toLowerCase());
    if (!parsed) return { ok: false, text: HOURS_INVALID, params: { input: rule } };
    ranges.push(...parsed);
  }
  if (ranges.length === 0) return { ok: false, text: HOURS_INVALID, params: { input } };
  return { ok: true, hours: ranges };
}

function parseRule(rule: string): OpeningRange[] | undefined {
  const days: Weekday[] = [];
  const times: { from: number; to: number }[] = [];
  for (const token of rule.split(/\s+/)) {
    const dayRange = parseDays(token);
    const time = TIME_RANGE.exec(token);
    if (dayRange && times.length === 0) days.push(...dayRange);
    else if (time) {
      const from = minutes(time[1], time[2]);
      const to = minutes(time[3], time[4]);
      if (from === undefined || to === undefined || to <= from) return undefined;
      times.push({ from, to });
    } else return undefined;
  }
  if (days.length === 0 || times.length === 0) return undefined;
  return times.map((t) => ({ days, ...t }));
}

function parseDays(token: string): Weekday[] | undefined {
  const [first, last, ...more] = token.replace(/\.$/, "").split("-");
  const start = first === undefined ? undefined : DAYS[first];
  if (start === undefined || more.length > 0) return undefined;
  if (last === undefined) return [start];
  const end = DAYS[last];
  if (end === undefined || end < start) return undefined;
  return Array.from({ length: end - start + 1 }, (_, i) => (start + i) as Weekday);
}

function minutes(hours: string | undefined, mins: string | undefined): number | undefined {
  const h = Number(hours);
  const m = mins === undefined ? 0 : Number(mins);
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return undefined;
  return h * 60 + m;
}

/** Whether the practice is open at that instant, in Paris time. */
export function isOpenAt(hours: PracticeHours, epochMs: number): boolean {
  const t = parisTime(epochMs);
  return hours.some((r) => r.days.includes(t.weekday) && t.minutes >= r.from && t.minutes < r.to);
}
