import type { Reply } from "../core/commands/command.ts";
import { type Lang, localize, type Localized } from "../core/i18n/lang.ts";
import type { SnpIndicators } from "./domain/index.ts";
import { OUTCOME_LABELS } from "./messages.ts";
import type { Period } from "../core/time/period.ts";

const L = {
  title: { fr: "📊 Indicateurs SNP du {from} au {to}", en: "📊 SNP indicators from {from} to {to}" },
  requests: { fr: "Demandes : {requests} (éligibles {eligible}, non éligibles {ineligible})", en: "Requests: {requests} (eligible {eligible}, not eligible {ineligible})" },
  accepted: { fr: "Acceptées : {accepted}, dont {within} dans le délai de réponse", en: "Accepted: {accepted}, {within} of them within the response deadline" },
  timeToAccept: { fr: "Délai d'acceptation : médiane {median} min, 90e centile {p90} min", en: "Time to acceptance: median {median} min, 90th percentile {p90} min" },
  done: { fr: "Réalisées : {done} (sous 24 h : {in24}, sous 48 h : {in48}) ; non réalisées : {notDone}", en: "Done: {done} (within 24 h: {in24}, within 48 h: {in48}); not done: {notDone}" },
  escalated: { fr: "Escalades vers la régulation : {escalated}{outcomes}", en: "Escalations to the regulation room: {escalated}{outcomes}" },
  byProfession: { fr: "Par profession :", en: "By profession:" },
  professionLine: { fr: "• {profession} : {requests} demande(s), {accepted} acceptée(s), {escalated} escalade(s)", en: "• {profession}: {requests} request(s), {accepted} accepted, {escalated} escalation(s)" },
  pending: { fr: "en cours", en: "pending" },
  csv: { fr: "Export pour le financeur : `!snp export` (mêmes options de période).", en: "Export for the funder: `!snp export` (same period options)." },
} as const satisfies Record<string, Localized>;

const minutes = (value: number | null): string => (value === null ? "—" : String(Math.round(value)));

/** `!snp stats`: the ACI indicators of a period, in chat. */
export function renderIndicators(total: SnpIndicators, byProfession: readonly { key: string; indicators: SnpIndicators }[], period: Period, lang: Lang): Reply {
  const [from, to] = period.label.split("_");
  const outcomes = Object.entries(total.escalationOutcomes)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${outcome === "pending" ? L.pending[lang] : OUTCOME_LABELS[outcome as keyof typeof OUTCOME_LABELS][lang]} ${n}`);
  const lines = [
    localize(L.title, lang, { from: from!, to: to! }),
    localize(L.requests, lang, { requests: total.requests, eligible: total.eligible, ineligible: total.ineligible }),
    localize(L.accepted, lang, { accepted: total.accepted, within: total.acceptedWithinDeadline }),
    localize(L.timeToAccept, lang, { median: minutes(total.medianMinutesToAccept), p90: minutes(total.p90MinutesToAccept) }),
    localize(L.done, lang, { done: total.done, in24: total.doneWithin24h, in48: total.doneWithin48h, notDone: total.notDone }),
    localize(L.escalated, lang, { escalated: total.escalated, outcomes: outcomes.length > 0 ? ` (${outcomes.join(", ")})` : "" }),
  ];
  if (byProfession.length > 0) {
    lines.push(localize(L.byProfession, lang));
    for (const { key, indicators } of byProfession) {
      lines.push(localize(L.professionLine, lang, { profession: key, requests: indicators.requests, accepted: indicators.accepted, escalated: indicators.escalated }));
    }
  }
  lines.push(localize(L.csv, lang));
  return { text: lines.join("\n") };
}
