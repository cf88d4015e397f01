// The period a report covers (`!snp stats`, `!snp export`, `!avis export`, the console's
// indicators): typed in words or dates, in Paris calendar days, as [from, to).
import { foldName } from "../fold-name.ts";
import { isoDay, parisMidnight, parisTime } from "./paris-time.ts";

export interface Period {
  readonly from: number;
  readonly to: number;
  /** For file names and headings: "2026-11-01_2026-11-30". */
  readonly label: string;
}

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FR_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function dayOf(input: string): { year: number; month: number; day: number } | undefined {
  const iso = DATE.exec(input);
  const fr = FR_DATE.exec(input);
  const [year, month, day] = iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : fr ? [Number(fr[3]), Number(fr[2]), Number(fr[1])] : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? { year, month, day } : undefined;
}

function period(from: number, to: number): Period {
  return { from, to, label: `${isoDay(from)}_${isoDay(to - 1)}` };
}

/**
 * No words: the last 4 weeks. "semaine" / "mois" / "annee": the current calendar week, month
 * or year so far. "30j": the last 30 days. Two dates (2026-11-01 2026-11-30, or 01/11/2026
 * 30/11/2026): those days, both included. Undefined when it cannot be read.
 */
export function parsePeriod(words: readonly string[], now: number): Period | undefined {
  const today = parisTime(now);
  const startOfToday = parisMidnight(today.year, today.month, today.day);
  const endOfToday = startOfToday + DAY + 2 * 3_600_000; // past any DST shift; the next midnight is recomputed below
  const tomorrow = parisTime(endOfToday);
  const to = parisMidnight(tomorrow.year, tomorrow.month, tomorrow.day);
  if (words.length === 0) return period(to - 28 * DAY, to);
  if (words.length === 1) {
    const word = foldName(words[0]!);
    const days = /^(\d{1,3})\s*j(ours?)?$/.exec(word);
    if (days) return Number(days[1]) > 0 ? period(to - Number(days[1]) * DAY, to) : undefined;
    if (word === "semaine" || word === "week") return period(parisMidnight(today.year, today.month, today.day - today.weekday), to);
    if (word === "mois" || word === "month") return period(parisMidnight(today.year, today.month, 1), to);
    if (word === "annee" || word === "an" || word === "year") return period(parisMidnight(today.year, 1, 1), to);
    return undefined;
  }
  if (words.length === 2) {
    const first = dayOf(words[0]!);
    const last = dayOf(words[1]!);
    if (!first || !last) return undefined;
    const from = parisMidnight(first.year, first.month, first.day);
    const until = parisMidnight(last.year, last.month, last.day + 1);
    return until > from ? period(from, until) : undefined;
  }
  return undefined;
}
