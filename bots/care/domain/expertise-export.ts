// The record of téléexpertise acts for the funder and for billing: who asked, who answered,
// when, in which specialty. Never the question, the answer or the files. Pure.
import type { ExpertiseState, ExpertiseStatus } from "./expertise.ts";
import type { UserId } from "./ids.ts";
import { isoMinute } from "../../core/time/paris-time.ts";

export interface PersonOnRecord {
  readonly name: string;
  /** National identifier (RPPS), when the member has a directory entry. */
  readonly rpps?: string;
}

export const EXPORT_HEADERS: readonly string[] = [
  "Code",
  "Spécialité",
  "Demandeur",
  "RPPS demandeur",
  "Expert",
  "RPPS expert",
  "Demandée le",
  "Prise le",
  "Répondue le",
  "Délai de réponse (min)",
  "Statut",
];

const STATUS_LABELS: Readonly<Record<ExpertiseStatus, string>> = {
  open: "en attente",
  taken: "prise, sans réponse",
  answered: "répondue",
  expired: "sans expert",
  cancelled: "annulée",
};

/** One row per request, in the order given. */
export function expertiseRows(requests: readonly ExpertiseState[], personOf: (userId: UserId) => PersonOnRecord): string[][] {
  return requests.map((r) => {
    const requester = personOf(r.requester);
    const expert = r.takenBy ? personOf(r.takenBy) : undefined;
    const minutes = r.answeredAt === undefined ? "" : String(Math.round((r.answeredAt - r.createdAt) / 60_000));
    return [
      r.code,
      r.specialty.label,
      requester.name,
      requester.rpps ?? "",
      expert?.name ?? "",
      expert?.rpps ?? "",
      isoMinute(r.createdAt),
      r.takenAt === undefined ? "" : isoMinute(r.takenAt),
      r.answeredAt === undefined ? "" : isoMinute(r.answeredAt),
      minutes,
      STATUS_LABELS[r.status],
    ];
  });
}

/** A cell a spreadsheet would run as a formula (=, +, -, @) is neutralised; separators and quotes are quoted. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Semicolon-separated with CRLF lines and a byte-order mark: what a French spreadsheet opens as is. */
export function expertiseCsv(requests: readonly ExpertiseState[], personOf: (userId: UserId) => PersonOnRecord): string {
  const lines = [EXPORT_HEADERS, ...expertiseRows(requests, personOf)];
  return `\uFEFF${lines.map((cells) => cells.map(csvCell).join(";")).join("\r\n")}\r\n`;
}
