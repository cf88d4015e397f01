// The period selector of the indicators page: a preset or two dates, read from the query
// string into the same [from, to) Paris-calendar period `!snp stats` uses.
import { isoWeek, parisMidnight, parisTime } from "../core/time/paris-time.ts";
import { parsePeriod, type Period } from "../core/time/period.ts";

export const PERIOD_CHOICES = [
  { value: "4s", label: "Les 4 dernières semaines", words: [] },
  { value: "semaine", label: "Cette semaine", words: ["semaine"] },
  { value: "mois", label: "Ce mois-ci", words: ["mois"] },
  { value: "30j", label: "Les 30 derniers jours", words: ["30j"] },
  { value: "annee", label: "Cette année", words: ["annee"] },
  { value: "dates", label: "Entre deux dates", words: undefined },
] as const;

export type PeriodChoice = (typeof PERIOD_CHOICES)[number]["value"];

/** Longer periods would make weekly charts unreadable; the CSV export of `!snp export` has no such limit. */
export const MAX_PERIOD_DAYS = 731;
const DAY = 86_400_000;

export interface SelectedPeriod extends Period {
  readonly choice: PeriodChoice;
  /** The dates as typed back into the form (YYYY-MM-DD), for the custom choice. */
  readonly fromDate: string;
  readonly toDate: string;
}

export type PeriodSelection = { readonly ok: true; readonly period: SelectedPeriod } | { readonly ok: false; readonly problem: string; readonly fallback: SelectedPeriod };

type Query = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === "string" ? value.trim() : "");

function selected(period: Period, choice: PeriodChoice): SelectedPeriod {
  const [fromDate, toDate] = period.label.split("_") as [string, string];
  return { ...period, choice, fromDate, toDate };
}

/**
 * `?periode=mois`, or `?periode=dates&du=2026-11-01&au=2026-11-30` (both days included).
 * A period that cannot be read gives a French explanation and the default period instead.
 */
export function selectPeriod(query: Query, now: number): PeriodSelection {
  const fallback = selected(parsePeriod([], now)!, "4s");
  const asked = text(query["periode"]) || (text(query["du"]) || text(query["au"]) ? "dates" : "4s");
  const choice = PERIOD_CHOICES.find((c) => c.value === asked);
  if (!choice) return { ok: false, problem: "Cette période n'existe pas : choisissez-en une dans la liste.", fallback };
  if (choice.words !== undefined) return { ok: true, period: selected(parsePeriod(choice.words, now)!, choice.value) };
  const from = text(query["du"]);
  const to = text(query["au"]);
  if (from === "" || to === "") return { ok: false, problem: "Indiquez la date de début et la date de fin de la période.", fallback };
  const period = parsePeriod([from, to], now);
  if (!period) return { ok: false, problem: "Ces dates ne sont pas valides, ou la fin précède le début (format attendu : AAAA-MM-JJ).", fallback };
  if (period.to - period.from > MAX_PERIOD_DAYS * DAY + 2 * 3_600_000) {
    return { ok: false, problem: `La période est limitée à ${MAX_PERIOD_DAYS} jours ; raccourcissez-la.`, fallback };
  }
  return { ok: true, period: selected(period, "dates") };
}

export interface PeriodWeek {
  /** "2026-W47" */
  readonly week: string;
  /** The end of that week inside the period (exclusive): the next Monday's midnight, or the period's end. */
  readonly end: number;
}

/** The ISO weeks (Paris calendar) the period touches, in order. */
export function weeksOf(period: Pick<Period, "from" | "to">): PeriodWeek[] {
  const weeks: { week: string; end: number }[] = [];
  // Noon of each day: a daylight saving change never moves it to another calendar day.
  for (let noon = period.from + DAY / 2; noon < period.to; noon += DAY) {
    const day = parisTime(noon);
    const end = Math.min(period.to, parisMidnight(day.year, day.month, day.day + 1));
    const week = isoWeek(noon);
    if (weeks.at(-1)?.week === week) weeks.at(-1)!.end = end;
    else weeks.push({ week, end });
  }
  return weeks;
}

/** The query string that selects this period again (for the CSV links). */
export function periodQuery(period: SelectedPeriod): string {
  const params = new URLSearchParams({ periode: period.choice });
  if (period.choice === "dates") {
    params.set("du", period.fromDate);
    params.set("au", period.toDate);
  }
  return params.toString();
}
