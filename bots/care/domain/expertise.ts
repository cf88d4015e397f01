// A téléexpertise request: a question to a specialty, routed to the members who declared
// that expertise (first wave), then to the wider circle of that specialty; the first expert
// who takes it answers in the request's room, which closes it. A paid act: every step is
// timestamped for the record. Pure.
import type { ExpertiseCode, UserId } from "./ids.ts";

/** The specialty asked for: a stable key ("medecin|cardiologie") and how to show it ("cardiologie"). */
export interface Specialty {
  readonly key: string;
  readonly label: string;
}

export type ExpertiseStatus = "open" | "taken" | "answered" | "expired" | "cancelled";

export interface ExpertiseHistoryEntry {
  readonly at: number;
  readonly type: "open" | "wave" | "taken" | "answered" | "expired" | "cancelled";
  readonly by?: UserId;
  readonly wave?: number;
}

export interface ExpertiseState {
  readonly code: ExpertiseCode;
  readonly requester: UserId;
  readonly specialty: Specialty;
  readonly status: ExpertiseStatus;
  readonly createdAt: number;
  readonly waves: readonly (readonly UserId[])[];
  /** Index of the last wave notified; -1 when none was. */
  readonly currentWave: number;
  readonly notified: readonly UserId[];
  readonly takenBy?: UserId;
  readonly takenAt?: number;
  readonly answeredAt?: number;
  readonly endedAt?: number;
  readonly history: readonly ExpertiseHistoryEntry[];
}

export type ExpertiseEffect =
  | { readonly kind: "open-room" }
  | { readonly kind: "notify-experts"; readonly to: readonly UserId[] }
  | { readonly kind: "schedule-wave-timeout"; readonly at: number; readonly wave: number }
  | { readonly kind: "mark-notifications"; readonly to: readonly UserId[]; readonly why: "taken" | "expired" | "cancelled" }
  | { readonly kind: "bring-expert"; readonly expert: UserId }
  | { readonly kind: "tell-requester"; readonly news: "taken" | "answered" | "expired" }
  | { readonly kind: "close-room" };

export type ExpertiseRefusal = "not-asked" | "already-taken" | "not-open" | "not-expert" | "not-requester" | "finished";

export interface ExpertiseTransition {
  readonly state: ExpertiseState;
  readonly effects: readonly ExpertiseEffect[];
  readonly refusal?: ExpertiseRefusal;
}

/** The question is not part of the state: the adapter keeps it only while experts may still need to read it. */
export type NewExpertise = Pick<ExpertiseState, "code" | "requester" | "specialty">;

/**
 * Opens the request with its planned waves, kept in place (wave 0: those who declared the
 * expertise; wave 1: the specialty's wider circle) so that each expert is told why they are
 * asked; empty waves are skipped. Nobody to ask ends it at once (the requester reads it in the reply).
 */
export function openExpertise(input: NewExpertise, waves: readonly (readonly UserId[])[], at: number, waveTimeoutMs: number): ExpertiseTransition {
  const planned = waves.map((w) => w.filter((u) => u !== input.requester));
  const state: ExpertiseState = { ...input, status: "open", createdAt: at, waves: planned, currentWave: -1, notified: [], history: [{ at, type: "open", by: input.requester }] };
  if (planned.every((w) => w.length === 0)) {
    return { state: { ...state, status: "expired", endedAt: at, history: [...state.history, { at, type: "expired" }] }, effects: [] };
  }
  const first = nextWave(state, at, waveTimeoutMs)!;
  return { state: first.state, effects: [{ kind: "open-room" }, ...first.effects] };
}

/** Why an expert was asked: the wave that notified them. */
export function notificationReason(state: Pick<ExpertiseState, "waves">, expert: UserId): "declared" | "specialty" {
  return state.waves.findIndex((w) => w.includes(expert)) === 0 ? "declared" : "specialty";
}

function nextWave(state: ExpertiseState, at: number, waveTimeoutMs: number): ExpertiseTransition | undefined {
  let wave = state.currentWave + 1;
  while (state.waves[wave]?.length === 0) wave++;
  const to = state.waves[wave];
  if (!to) return undefined;
  return {
    state: { ...state, currentWave: wave, notified: [...state.notified, ...to], history: [...state.history, { at, type: "wave", wave }] },
    effects: [
      { kind: "notify-experts", to },
      { kind: "schedule-wave-timeout", at: at + waveTimeoutMs, wave },
    ],
  };
}

export type ExpertiseEvent =
  | { readonly type: "wave-timeout"; readonly at: number; readonly wave: number }
  | { readonly type: "take"; readonly at: number; readonly by: UserId }
  | { readonly type: "answer"; readonly at: number; readonly by: UserId }
  | { readonly type: "cancel"; readonly at: number; readonly by: UserId };

export function applyExpertiseEvent(state: ExpertiseState, event: ExpertiseEvent, waveTimeoutMs: number): ExpertiseTransition {
  const refuse = (refusal: ExpertiseRefusal): ExpertiseTransition => ({ state, effects: [], refusal });
  const others = (except?: UserId): UserId[] => state.notified.filter((u) => u !== except);
  switch (event.type) {
    case "wave-timeout": {
      if (state.status !== "open" || event.wave !== state.currentWave) return { state, effects: [] };
      const next = nextWave(state, event.at, waveTimeoutMs);
      if (next) return next;
      return {
        state: { ...state, status: "expired", endedAt: event.at, history: [...state.history, { at: event.at, type: "expired" }] },
        effects: [
          { kind: "mark-notifications", to: state.notified, why: "expired" },
          { kind: "tell-requester", news: "expired" },
        ],
      };
    }
    case "take":
      if (!state.notified.includes(event.by)) return refuse("not-asked");
      if (state.status === "taken" || state.status === "answered") return state.takenBy === event.by ? { state, effects: [] } : refuse("already-taken");
      if (state.status !== "open") return refuse("not-open");
      return {
        state: { ...state, status: "taken", takenBy: event.by, takenAt: event.at, history: [...state.history, { at: event.at, type: "taken", by: event.by }] },
        effects: [
          { kind: "bring-expert", expert: event.by },
          { kind: "mark-notifications", to: others(event.by), why: "taken" },
          { kind: "tell-requester", news: "taken" },
        ],
      };
    case "answer":
      if (state.status !== "taken") return refuse(state.status === "answered" ? "finished" : "not-open");
      if (event.by !== state.takenBy) return refuse("not-expert");
      return {
        state: { ...state, status: "answered", answeredAt: event.at, endedAt: event.at, history: [...state.history, { at: event.at, type: "answered", by: event.by }] },
        effects: [{ kind: "tell-requester", news: "answered" }],
      };
    case "cancel":
      if (event.by !== state.requester) return refuse("not-requester");
      if (state.status !== "open" && state.status !== "taken") return refuse("finished");
      return {
        state: { ...state, status: "cancelled", endedAt: event.at, history: [...state.history, { at: event.at, type: "cancelled", by: event.by }] },
        effects: [{ kind: "mark-notifications", to: others(), why: "cancelled" }, { kind: "close-room" }],
      };
  }
}

/** A verified member, as expertise routing needs them (all folded text). */
export interface ExpertCandidate {
  readonly userId: UserId;
  readonly profession: string;
  /** National savoir-faire labels. */
  readonly specialties: readonly string[];
  /** What the member declared on their card (profile skills). */
  readonly declaredSkills: readonly string[];
}

/** A profession or specialty of the national directory that `!avis` named. */
export interface SpecialtyQuery {
  readonly profession: string;
  readonly specialty?: string;
  /** Folded national label prefixes that count as this specialty. */
  readonly labelPrefixes: readonly string[];
  /** Folded words and phrases people use for it ("cardiologue", "cardio", "cardiologie"). */
  readonly words: readonly string[];
}

const containsPhrase = (text: string, phrase: string): boolean => ` ${text} `.includes(` ${phrase} `);

/**
 * First wave: the members who declared the expertise on their card (`declaredWords`); then
 * the wider circle, when a profession or specialty was asked: the members whose national
 * specialty (or profession, when no specialty is asked) is that one. The requester is never asked.
 */
export function planExpertiseWaves(candidates: readonly ExpertCandidate[], declaredWords: readonly string[], query: SpecialtyQuery | undefined, requester: UserId): UserId[][] {
  const declared = candidates.filter((c) => c.userId !== requester && c.declaredSkills.some((skill) => declaredWords.some((w) => containsPhrase(skill, w))));
  const declaredIds = new Set(declared.map((c) => c.userId));
  const wider = query
    ? candidates.filter((c) => {
        if (c.userId === requester || declaredIds.has(c.userId) || c.profession !== query.profession) return false;
        return query.specialty === undefined || c.specialties.some((s) => query.labelPrefixes.some((p) => s.startsWith(p)));
      })
    : [];
  const byId = (a: ExpertCandidate, b: ExpertCandidate): number => a.userId.localeCompare(b.userId);
  return [declared.sort(byId).map((c) => c.userId), wider.sort(byId).map((c) => c.userId)];
}
