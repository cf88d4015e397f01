// Pure rendering of what the SNP bot writes: no Matrix, no storage.
import { type Lang, localize, type Localized } from "../core/i18n/lang.ts";
import type { HistoryEntry, RefusalReason, SnpCareMode, SnpRequestState } from "./domain/index.ts";
import { GP_LABELS, MODE_LABELS, OUTCOME_LABELS, REDIRECTION_LABELS, SNP_MESSAGES as M, STATUS_LABELS } from "./messages.ts";
import type { SnpSummary } from "./store/request-meta.ts";

export const ACCEPT_KEY = "✅";
export const DECLINE_KEY = "❌";
export const CLAIM_KEY = "✋";
export const MODE_KEYS: Readonly<Record<SnpCareMode, string>> = { telephone: "📞", teleconsultation: "💻", cabinet: "🏥", domicile: "🏠" };

const CLOCK = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", weekday: "short", day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });

/** Paris wall-clock time, with the day: "lun. 23/11 14:05". */
export function parisClock(epochMs: number): string {
  return CLOCK.format(epochMs);
}

export function outcomeLabel(outcome: keyof typeof OUTCOME_LABELS): Localized {
  return OUTCOME_LABELS[outcome];
}

export function modeLabel(mode: SnpCareMode, lang: Lang): string {
  return MODE_LABELS[mode][lang];
}

function modesText(modes: readonly SnpCareMode[], lang: Lang): string {
  return modes.map((m) => modeLabel(m, lang)).join(", ");
}

/** ALD, CSS; "70+" is already said by the age band next to it. */
function criteriaText(summary: SnpSummary): string {
  const criteria = summary.criteria.filter((c) => c !== "70+");
  return criteria.length > 0 ? `, ${criteria.map((c) => c.toUpperCase()).join(", ")}` : "";
}

function summaryParams(code: string, s: SnpSummary, lang: Lang): Record<string, string | number> {
  return {
    code,
    profession: s.professionWord,
    commune: s.communeName,
    delay: s.careDelayHours,
    need: s.need,
    age: s.ageBand,
    gp: GP_LABELS[s.gp][lang],
    criteria: criteriaText(s),
    modes: modesText(s.modes, lang),
  };
}

const text = (t: Localized, lang: Lang, params?: Record<string, string | number>) => ({ text: localize(t, lang, params) });

export function candidateNotification(code: string, s: SnpSummary, deadlineAt: number, isUsualProfessional: boolean, lang: Lang) {
  const modeReactions = s.modes.length > 1 ? `${localize(M.modeReactionsIntro, lang)}${s.modes.map((m) => `${MODE_KEYS[m]} ${modeLabel(m, lang)}`).join(", ")}` : "";
  return text(M.notification, lang, {
    ...summaryParams(code, s, lang),
    usual: isUsualProfessional ? localize(M.usualProfessionalLine, lang) : "",
    firstMode: modeLabel(s.modes[0]!, lang),
    modeReactions,
    deadline: parisClock(deadlineAt),
  });
}

export function reminder(code: string, deadlineAt: number, lang: Lang) {
  return text(M.reminder, lang, { code, deadline: parisClock(deadlineAt) });
}

export function takenBy(code: string, name: string, lang: Lang) {
  return text(M.takenBy, lang, { code, name });
}

export function closedFor(code: string, why: "escalated" | "cancelled", lang: Lang) {
  return text(why === "escalated" ? M.closedEscalated : M.closedCancelled, lang, { code });
}

export type RequesterNewsParams =
  | { readonly news: "accepted"; readonly name: string; readonly mode: SnpCareMode }
  | { readonly news: "escalated" | "cancelled" }
  | { readonly news: "callback-claimed" | "done"; readonly name: string }
  | { readonly news: "not-done"; readonly name: string; readonly reason: string }
  | { readonly news: "closed"; readonly outcome: keyof typeof OUTCOME_LABELS };

export function requesterNews(code: string, p: RequesterNewsParams, lang: Lang) {
  switch (p.news) {
    case "accepted":
      return text(M.newsAccepted, lang, { code, name: p.name, mode: modeLabel(p.mode, lang) });
    case "escalated":
      return text(M.newsEscalated, lang, { code });
    case "cancelled":
      return text(M.newsCancelled, lang, { code });
    case "callback-claimed":
      return text(M.newsCallbackClaimed, lang, { code, name: p.name });
    case "done":
      return text(M.newsDone, lang, { code, name: p.name });
    case "not-done":
      return text(M.newsNotDone, lang, { code, name: p.name, reason: p.reason });
    case "closed":
      return text(M.newsClosed, lang, { code, outcome: OUTCOME_LABELS[p.outcome][lang] });
  }
}

const HISTORY_WORDS: Readonly<Record<string, Localized>> = {
  open: { fr: "demande ouverte", en: "request opened" },
  dispatch: { fr: "diffusion", en: "dispatch" },
  wave: { fr: "vague {wave} notifiée", en: "wave {wave} notified" },
  reminder: { fr: "relance", en: "reminder" },
  decline: { fr: "décliné par {by}", en: "declined by {by}" },
  escalate: { fr: "transmise à la régulation", en: "handed to the regulation room" },
};

export function historyText(history: readonly HistoryEntry[], nameOf: (userId: string) => string, lang: Lang): string {
  return history
    .map((h) => {
      const words = HISTORY_WORDS[h.type];
      const what = words ? localize(words, lang, { wave: (h.wave ?? 0) + 1, by: h.by ? nameOf(h.by) : "" }) : h.type;
      return `• ${parisClock(h.at)} — ${what}`;
    })
    .join("\n");
}

const ESCALATION_REASONS = { deadline: M.reasonDeadline, "all-declined": M.reasonAllDeclined, "no-candidate": M.reasonNoCandidate } as const;

export function escalation(
  code: string,
  s: SnpSummary,
  reason: keyof typeof ESCALATION_REASONS,
  fallback: readonly (keyof typeof REDIRECTION_LABELS)[],
  history: readonly HistoryEntry[],
  nameOf: (userId: string) => string,
  lang: Lang,
) {
  return text(M.escalation, lang, {
    ...summaryParams(code, s, lang),
    reason: localize(ESCALATION_REASONS[reason], lang),
    history: historyText(history, nameOf, lang),
    fallback: fallback.map((f) => REDIRECTION_LABELS[f][lang]).join(", "),
  });
}

export function caseRoomIntro(code: string, s: SnpSummary, people: { requester: string; requesterName: string; acceptor: string; mode: SnpCareMode }, lang: Lang) {
  const intro = text(M.caseRoomIntro, lang, { ...summaryParams(code, s, lang), ...people, mode: modeLabel(people.mode, lang) });
  return people.mode === "teleconsultation" ? { ...intro, text: intro.text + localize(M.teleconsultationHowTo, lang) } : intro;
}

const REFUSALS: Readonly<Record<RefusalReason, Localized>> = {
  "already-taken": M.refusedAlreadyTaken,
  "not-a-candidate": M.refusedNotCandidate,
  "mode-not-offered": M.refusedModeNotOffered,
  escalated: M.refusedEscalated,
  "not-active": M.refusedNotActive,
  "already-claimed": M.refusedAlreadyClaimed,
  "not-the-acceptor": M.refusedNotAcceptor,
  "not-the-claimer": M.refusedNotClaimer,
};

export function refusal(code: string, reason: RefusalReason, holderName: string, modes: readonly SnpCareMode[], lang: Lang) {
  return text(REFUSALS[reason], lang, { code, name: holderName, modes: modesText(modes, lang) });
}

export function requestLine(state: SnpRequestState, s: SnpSummary | undefined, lang: Lang): string {
  const where = s ? `${s.professionWord} — ${s.communeName} — ` : "";
  return `• ${state.id} — ${where}${STATUS_LABELS[state.status][lang]} (${parisClock(state.createdAt)})`;
}
