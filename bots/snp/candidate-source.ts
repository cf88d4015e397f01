import type { Clock } from "../core/clock.ts";
import type { Directory } from "../directory/directory-port.ts";
import { locateInTerritory, type Territory } from "../directory/territory.ts";
import { type Candidate, parsePracticeHours, type UserId } from "./domain/index.ts";
import type { Availability } from "./store/availability.ts";
import type { SnpStore } from "./store/snp-store.ts";

const DAY_MS = 86_400_000;

export interface CandidateSourceDeps {
  readonly directory: Directory;
  readonly clock: Clock;
  readonly territory: Territory;
  readonly availability: Availability;
  readonly store: SnpStore;
  /** Who is on the garde rota at a time. */
  readonly onDutyAt: (at: number) => ReadonlySet<string>;
  readonly loadWindowDays: number;
  /** How to name someone without a directory entry (a regulator, a coordinator): their Matrix display name. */
  readonly matrixName: (userId: string) => string;
}

/**
 * The directory, read as the cascade needs it: every verified member with a national
 * directory entry, their practice commune in the territory, their SNP profile and
 * availability. The pure planner decides who is asked.
 */
export class CandidateSource {
  private readonly deps: CandidateSourceDeps;
  private readonly directory: Directory;

  constructor(deps: CandidateSourceDeps) {
    this.deps = deps;
    this.directory = deps.directory;
  }

  /** Members of the CPTS, whatever their profession: the planner filters. */
  candidates(alreadyNotified: readonly string[] = []): Candidate[] {
    const now = this.deps.clock.now();
    const onDuty = this.deps.onDutyAt(now);
    const loads = this.deps.store.acceptedCountsSince(now - this.deps.loadWindowDays * DAY_MS);
    const candidates: Candidate[] = [];
    for (const { userId, firstSite: site } of this.directory.practisingMembers()) {
      const member = this.directory.memberOf(userId);
      const place = locateInTerritory(this.deps.territory, { communeCode: site?.communeCode ?? "", postcode: site?.postcode ?? "", communeName: site?.commune ?? "" });
      // Someone practising outside the territory cannot be ranked by distance: not a candidate.
      if (!member || !place) continue;
      const profile = this.directory.profileOf(userId);
      const hours = profile.hours ? parsePracticeHours(profile.hours) : undefined;
      const load = loads.get(userId);
      candidates.push({
        userId: userId as UserId,
        profession: member.person.profession,
        ...(member.person.specialty !== undefined ? { specialty: member.person.specialty } : {}),
        commune: place,
        inPool: profile.snp === true,
        onDuty: onDuty.has(userId),
        dispo: this.deps.availability.isAvailable(userId),
        ...(hours?.ok ? { hours: hours.hours } : {}),
        recentLoad: load?.count ?? 0,
        ...(load ? { lastAcceptedAt: load.lastAcceptedAt } : {}),
        alreadyNotified: alreadyNotified.includes(userId),
        member: true,
      });
    }
    return candidates;
  }

  /** Still a verified member, and still saying they are available: asked when a later wave comes. */
  stillReachable(userId: string): boolean {
    return this.directory.isVerified(userId) && this.deps.availability.isAvailable(userId);
  }

  displayName(userId: string): string {
    const member = this.directory.memberOf(userId);
    return member ? `${member.person.firstName} ${member.person.lastName}`.trim() : this.deps.matrixName(userId);
  }

  professionLabel(userId: string): string | undefined {
    return this.directory.memberOf(userId)?.person.professionLabel;
  }
}
