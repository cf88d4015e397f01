// The indicators page's figures and charts, computed without I/O from the SNP records of the
// period (the same records and rules as `!snp stats`), the members' verification times and
// the care bot's counts.
import { computeIndicators, indicatorsBy, type SnpIndicators, type SnpRecord } from "../snp/domain/indicators.ts";
import type { CareCounts } from "../care/care-activity.ts";
import type { ChartSpec } from "./charts.ts";
import { weeksOf, type SelectedPeriod } from "./period.ts";

export interface IndicatorsView {
  readonly totals: SnpIndicators;
  /** Accepted within the response deadline, over eligible requests; null without eligible request. */
  readonly withinDeadlineRate: number | null;
  readonly membersNow: number;
  readonly care: CareCounts;
  readonly requestsPerWeek: ChartSpec;
  readonly acceptancePerWeek: ChartSpec;
  readonly timeToAccept: ChartSpec;
  readonly byProfession: ChartSpec;
  readonly membersOverTime: ChartSpec;
}

/** Ranges of the time-to-acceptance distribution, in minutes from dispatch: [from, to). */
export const ACCEPTANCE_RANGES: readonly { readonly label: string; readonly from: number; readonly to: number }[] = [
  { label: "moins de 15 min", from: 0, to: 15 },
  { label: "15 à 30 min", from: 15, to: 30 },
  { label: "30 min à 1 h", from: 30, to: 60 },
  { label: "1 h à 2 h", from: 60, to: 120 },
  { label: "2 h et plus", from: 120, to: Infinity },
];

/** Minutes from dispatch (or creation, when sent without dispatch) to acceptance, as computeIndicators counts them. */
function minutesToAccept(r: SnpRecord): number | undefined {
  return r.acceptedAt === undefined ? undefined : (r.acceptedAt - (r.dispatchedAt ?? r.createdAt)) / 60_000;
}

const shortWeek = (week: string): string => `S${week.slice(-2)}`;
/** "1 demande", "3 demandes"; `many` when the plural is not just an s at the end. */
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n > 1 ? many : one}`;

export function indicatorsView(input: {
  readonly records: readonly SnpRecord[];
  readonly period: SelectedPeriod;
  readonly verificationTimes: readonly number[];
  readonly care: CareCounts;
}): IndicatorsView {
  const { records, period, verificationTimes, care } = input;
  const totals = computeIndicators(records);
  const weeks = weeksOf(period);
  const byWeek = new Map(indicatorsBy(records, "week").map((g) => [g.key, g.indicators]));
  const weekly = weeks.map((w) => byWeek.get(w.week));
  const categories = weeks.map((w) => w.week);
  const axisLabels = categories.map(shortWeek);
  const between = `du ${period.fromDate} au ${period.toDate}`;

  const requests = weekly.map((i) => i?.requests ?? 0);
  const busiest = categories[requests.indexOf(Math.max(...requests))];
  const requestsPerWeek: ChartSpec = {
    id: "graphique-demandes",
    title: "Demandes SNP par semaine",
    description: `${plural(totals.requests, "demande")} ${between}, sur ${plural(weeks.length, "semaine")}${totals.requests > 0 ? ` ; la semaine la plus chargée est ${busiest}` : ""}.`,
    categories,
    axisLabels,
    series: [{ name: "Demandes", values: requests }],
  };

  const within = weekly.map((i) => i?.acceptedWithinDeadline ?? 0);
  const late = weekly.map((i) => (i ? i.accepted - i.acceptedWithinDeadline : 0));
  const notAccepted = weekly.map((i) => (i ? Math.max(0, i.eligible - i.accepted) : 0));
  const acceptancePerWeek: ChartSpec = {
    id: "graphique-delai",
    title: "Acceptation dans le délai de réponse, par semaine",
    description: `Sur ${plural(totals.eligible, "demande éligible", "demandes éligibles")} ${between} : ${totals.acceptedWithinDeadline} acceptée(s) dans le délai, ${totals.accepted - totals.acceptedWithinDeadline} après le délai, ${Math.max(0, totals.eligible - totals.accepted)} non acceptée(s).`,
    categories,
    axisLabels,
    series: [
      { name: "Dans le délai", values: within },
      { name: "Après le délai", values: late },
      { name: "Non acceptées", values: notAccepted },
    ],
  };

  const delays = records.map(minutesToAccept).filter((m): m is number => m !== undefined);
  const counts = ACCEPTANCE_RANGES.map((range) => delays.filter((m) => m >= range.from && m < range.to).length);
  const timeToAccept: ChartSpec = {
    id: "graphique-temps",
    title: "Répartition du délai d'acceptation",
    description: delays.length === 0
      ? `Aucune demande acceptée ${between}.`
      : `${plural(delays.length, "demande acceptée", "demandes acceptées")} ${between} : ${ACCEPTANCE_RANGES.map((r, i) => `${r.label} : ${counts[i]}`).join(", ")}.`,
    categories: ACCEPTANCE_RANGES.map((r) => r.label),
    series: [{ name: "Demandes acceptées", values: counts }],
  };

  const professions = indicatorsBy(records, "profession");
  const byProfession: ChartSpec = {
    id: "graphique-professions",
    title: "Demandes par profession",
    description: professions.length === 0
      ? `Aucune demande ${between}.`
      : professions.map((p) => `${p.key} : ${plural(p.indicators.requests, "demande")}, ${p.indicators.accepted} acceptée(s)`).join(" ; ") + ".",
    categories: professions.map((p) => p.key),
    series: [
      { name: "Acceptées", values: professions.map((p) => p.indicators.accepted) },
      { name: "Non acceptées", values: professions.map((p) => p.indicators.requests - p.indicators.accepted) },
    ],
  };

  const sortedTimes = [...verificationTimes].sort((a, b) => a - b);
  const membersAt = (end: number): number => {
    let count = 0;
    while (count < sortedTimes.length && sortedTimes[count]! < end) count++;
    return count;
  };
  const memberCounts = weeks.map((w) => membersAt(w.end));
  const membersOverTime: ChartSpec = {
    id: "graphique-membres",
    title: "Membres vérifiés au fil des semaines",
    description: `Membres vérifiés et toujours actifs, comptés à la fin de chaque semaine : ${memberCounts[0] ?? 0} en ${categories[0] ?? ""}, ${memberCounts.at(-1) ?? 0} en ${categories.at(-1) ?? ""}.`,
    categories,
    axisLabels,
    series: [{ name: "Membres vérifiés", values: memberCounts }],
  };

  return {
    totals,
    withinDeadlineRate: totals.eligible === 0 ? null : totals.acceptedWithinDeadline / totals.eligible,
    membersNow: sortedTimes.length,
    care,
    requestsPerWeek,
    acceptancePerWeek,
    timeToAccept,
    byProfession,
    membersOverTime,
  };
}
