// Who is asked, and in which order. The patient's usual professional alone first (continuity
// of care), then waves widening by distance; inside a wave the least loaded first, so the
// same nearby member is not asked every time.
import { type Commune, distanceKm } from "../../directory/territory.ts";
import type { ProfessionTerm } from "../../directory/search/vocabulary.ts";
import { isOpenAt, type PracticeHours } from "./hours.ts";
import type { UserId } from "./ids.ts";
import type { PlannedWave } from "./lifecycle-model.ts";

type Place = Pick<Commune, "code" | "name" | "latitude" | "longitude">;

export interface Candidate {
  readonly userId: UserId;
  /** Folded national labels, as in PROFESSION_WORDS ("infirmier", "medecin" + "medecine generale"). */
  readonly profession: string;
  readonly specialty?: string;
  readonly commune: Place;
  readonly inPool: boolean;
  /** On the garde rota right now: available whatever their practice hours. */
  readonly onDuty: boolean;
  /** Their `!dispo on/off`. */
  readonly dispo: boolean;
  /** Absent: no declared hours, `!dispo on` alone says they are available. */
  readonly hours?: PracticeHours;
  /** Requests accepted in the last N days. */
  readonly recentLoad: number;
  readonly lastAcceptedAt?: number;
  readonly alreadyNotified: boolean;
  /** Still a verified member of the CPTS. */
  readonly member: boolean;
}

export interface CascadeConfig {
  /** How long the usual professional has alone before the first distance wave. */
  readonly usualFirstMs: number;
  /** How long each distance wave has before the next one is notified. */
  readonly waveTimeoutMs: number;
  /** Upper bounds of the distance waves, increasing; a last wave takes everyone beyond. */
  readonly radiiKm: readonly number[];
}

export const DEFAULT_CASCADE: CascadeConfig = { usualFirstMs: 20 * 60_000, waveTimeoutMs: 20 * 60_000, radiiKm: [5, 10] };

export interface CascadeRequest {
  readonly profession: ProfessionTerm;
  readonly commune: Place;
  readonly usualProfessional?: UserId;
}

export interface RankedCandidate {
  readonly userId: UserId;
  readonly distanceKm: number;
  readonly recentLoad: number;
}

export interface Wave {
  readonly kind: "usual" | "distance";
  /** Distance band, minimum excluded (except 0) and maximum included; null: no upper bound. */
  readonly minKm: number;
  readonly maxKm: number | null;
  readonly durationMs: number;
  readonly candidates: readonly RankedCandidate[];
}

export type ExclusionReason = "other-profession" | "not-member" | "not-in-pool" | "already-notified" | "dispo-off" | "closed-now";

export interface CascadePlan {
  /** Non-empty waves only, in the order they are notified. */
  readonly waves: readonly Wave[];
  readonly excluded: readonly { readonly userId: UserId; readonly reason: ExclusionReason }[];
}

export function exclusionReason(candidate: Candidate, profession: ProfessionTerm, now: number): ExclusionReason | undefined {
  if (candidate.profession !== profession.profession) return "other-profession";
  if (profession.specialty !== undefined && candidate.specialty !== profession.specialty) return "other-profession";
  if (!candidate.member) return "not-member";
  if (!candidate.inPool) return "not-in-pool";
  if (candidate.alreadyNotified) return "already-notified";
  if (!candidate.dispo) return "dispo-off";
  if (candidate.onDuty || candidate.hours === undefined) return undefined;
  return isOpenAt(candidate.hours, now) ? undefined : "closed-now";
}

/** Least loaded first, then the one who accepted longest ago, then the nearest; the id settles ties so plans are reproducible. */
function fairness(a: RankedCandidate & { lastAcceptedAt: number }, b: RankedCandidate & { lastAcceptedAt: number }): number {
  return a.recentLoad - b.recentLoad || a.lastAcceptedAt - b.lastAcceptedAt || a.distanceKm - b.distanceKm || (a.userId < b.userId ? -1 : 1);
}

export function planCascade(candidates: readonly Candidate[], request: CascadeRequest, now: number, config: CascadeConfig = DEFAULT_CASCADE): CascadePlan {
  const excluded: { userId: UserId; reason: ExclusionReason }[] = [];
  const ranked: (RankedCandidate & { lastAcceptedAt: number })[] = [];
  for (const c of candidates) {
    const reason = exclusionReason(c, request.profession, now);
    if (reason) {
      excluded.push({ userId: c.userId, reason });
      continue;
    }
    ranked.push({
      userId: c.userId,
      distanceKm: distanceKm(c.commune, request.commune),
      recentLoad: c.recentLoad,
      lastAcceptedAt: c.lastAcceptedAt ?? Number.NEGATIVE_INFINITY,
    });
  }
  ranked.sort(fairness);
  const strip = ({ userId, distanceKm, recentLoad }: RankedCandidate): RankedCandidate => ({ userId, distanceKm, recentLoad });

  const waves: Wave[] = [];
  const usual = ranked.find((c) => c.userId === request.usualProfessional);
  if (usual) {
    waves.push({ kind: "usual", minKm: 0, maxKm: null, durationMs: config.usualFirstMs, candidates: [strip(usual)] });
  }
  const others = ranked.filter((c) => c !== usual);
  const bounds = [...config.radiiKm, null];
  let minKm = 0;
  for (const maxKm of bounds) {
    const low = minKm;
    const inBand = others.filter((c) => (low === 0 ? c.distanceKm >= 0 : c.distanceKm > low) && (maxKm === null || c.distanceKm <= maxKm));
    if (inBand.length > 0) waves.push({ kind: "distance", minKm: low, maxKm, durationMs: config.waveTimeoutMs, candidates: inBand.map(strip) });
    if (maxKm !== null) minKm = maxKm;
  }
  return { waves, excluded };
}

/** What the lifecycle keeps of a plan: who, and how long each wave has. */
export function toPlannedWaves(plan: CascadePlan): PlannedWave[] {
  return plan.waves.map((w) => ({ candidates: w.candidates.map((c) => c.userId), durationMs: w.durationMs }));
}
