// The ACI indicators, computed from the timestamped request records only: no patient data
// goes in, so none can come out.
import type { CallbackOutcome, SnpRequestState } from "./lifecycle-model.ts";
import { isoWeek } from "../../core/time/paris-time.ts";

export type SnpRecord = Pick<
  SnpRequestState,
  "profession" | "eligible" | "status" | "createdAt" | "dispatchedAt" | "deadlineAt" | "acceptedAt" | "doneAt" | "escalatedAt" | "outcome"
>;

export type EscalationOutcome = CallbackOutcome | "pending";

export interface SnpIndicators {
  readonly requests: number;
  readonly eligible: number;
  readonly ineligible: number;
  readonly accepted: number;
  readonly acceptedWithinDeadline: number;
  /** Minutes from dispatch to acceptance; null when nothing was accepted. */
  readonly medianMinutesToAccept: number | null;
  readonly p90MinutesToAccept: number | null;
  readonly done: number;
  readonly doneWithin24h: number;
  readonly doneWithin48h: number;
  readonly notDone: number;
  readonly escalated: number;
  readonly escalationOutcomes: Readonly<Record<EscalationOutcome, number>>;
}

const HOUR = 3_600_000;
const OUTCOMES: readonly EscalationOutcome[] = ["garde", "samu-15", "own-gp", "seen-by-member", "unreachable", "no-longer-needed", "pending"];

/** The usual median: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: a value that really occurred, which is what a funder can check by hand. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function computeIndicators(records: readonly SnpRecord[]): SnpIndicators {
  const minutesToAccept: number[] = [];
  let acceptedWithinDeadline = 0;
  let done = 0;
  let doneWithin24h = 0;
  let doneWithin48h = 0;
  const escalationOutcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<EscalationOutcome, number>;
  for (const r of records) {
    if (r.acceptedAt !== undefined) {
      minutesToAccept.push((r.acceptedAt - (r.dispatchedAt ?? r.createdAt)) / 60_000);
      if (r.deadlineAt !== undefined && r.acceptedAt <= r.deadlineAt) acceptedWithinDeadline++;
    }
    if (r.doneAt !== undefined) {
      done++;
      if (r.doneAt - r.createdAt <= 24 * HOUR) doneWithin24h++;
      if (r.doneAt - r.createdAt <= 48 * HOUR) doneWithin48h++;
    }
    if (r.escalatedAt !== undefined) escalationOutcomes[r.outcome ?? "pending"]++;
  }
  const eligible = records.filter((r) => r.eligible).length;
  return {
    requests: records.length,
    eligible,
    ineligible: records.length - eligible,
    accepted: minutesToAccept.length,
    acceptedWithinDeadline,
    medianMinutesToAccept: median(minutesToAccept),
    p90MinutesToAccept: percentile(minutesToAccept, 90),
    done,
    doneWithin24h,
    doneWithin48h,
    notDone: records.filter((r) => r.status === "not-done").length,
    escalated: records.filter((r) => r.escalatedAt !== undefined).length,
    escalationOutcomes,
  };
}

export type Grouping = "week" | "profession";

/** Indicators per ISO week (Paris calendar, of the request's creation) or per profession, keys sorted. */
export function indicatorsBy(records: readonly SnpRecord[], by: Grouping): { readonly key: string; readonly indicators: SnpIndicators }[] {
  const groups = new Map<string, SnpRecord[]>();
  for (const r of records) {
    const key = by === "week" ? isoWeek(r.createdAt) : r.profession;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.keys()].sort().map((key) => ({ key, indicators: computeIndicators(groups.get(key)!) }));
}

const OUTCOME_HEADERS: Readonly<Record<EscalationOutcome, string>> = {
  garde: "Escalades orientées vers la garde",
  "samu-15": "Escalades orientées vers le 15",
  "own-gp": "Escalades orientées vers le médecin traitant",
  "seen-by-member": "Escalades prises en charge par un membre",
  unreachable: "Escalades patient injoignable",
  "no-longer-needed": "Escalades sans objet",
  pending: "Escalades en cours",
};

export const CSV_HEADERS: readonly string[] = [
  "Demandes",
  "Éligibles",
  "Non éligibles",
  "Acceptées",
  "Acceptées dans le délai de réponse",
  "Délai médian d'acceptation (min)",
  "Délai d'acceptation 90e centile (min)",
  "Réalisées",
  "Réalisées sous 24 h",
  "Réalisées sous 48 h",
  "Non réalisées",
  "Escalades",
  ...OUTCOMES.map((o) => OUTCOME_HEADERS[o]),
];

/** French number: decimal comma, one decimal at most; empty when there is no value. */
function frenchNumber(value: number | null): string {
  return value === null ? "" : String(Math.round(value * 10) / 10).replace(".", ",");
}

function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(label: string, i: SnpIndicators): string[] {
  return [
    label,
    ...[i.requests, i.eligible, i.ineligible, i.accepted, i.acceptedWithinDeadline].map(String),
    frenchNumber(i.medianMinutesToAccept),
    frenchNumber(i.p90MinutesToAccept),
    ...[i.done, i.doneWithin24h, i.doneWithin48h, i.notDone, i.escalated].map(String),
    ...OUTCOMES.map((o) => String(i.escalationOutcomes[o])),
  ];
}

/** Semicolon-separated, CRLF lines, one row per week (or profession) then a total row: what a French spreadsheet opens as is. */
export function indicatorsCsv(records: readonly SnpRecord[], by: Grouping = "week"): string {
  const lines = [[by === "week" ? "Semaine" : "Profession", ...CSV_HEADERS]];
  for (const group of indicatorsBy(records, by)) lines.push(row(group.key, group.indicators));
  lines.push(row("Total", computeIndicators(records)));
  return lines.map((cells) => cells.map(csvField).join(";")).join("\r\n") + "\r\n";
}
