import type { Clock } from "../core/clock.ts";
import type { Db } from "../core/store/database.ts";
import { Membership } from "../directory/membership.ts";
import { Profiles } from "../directory/profile/profile-store.ts";
import { locateInTerritory, type Territory } from "../directory/territory.ts";
import { type Candidate, parsePracticeHours, type UserId } from "./domain/index.ts";
import type { Availability } from "./store/availability.ts";
import type { SnpStore } from "./store/snp-store.ts";

const DAY_MS = 86_400_000;

export interface CandidateSourceDeps {
  readonly db: Db;
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
  private readonly membership: Membership;
  private readonly profiles: Profiles;

  constructor(deps: CandidateSourceDeps) {
    this.deps = deps;
    this.membership = new Membership(deps.db, deps.clock);
    this.profiles = new Profiles(deps.db, deps.clock);
  }

  /** Members of the CPTS, whatever their profession: the planner filters. */
  candidates(alreadyNotified: readonly string[] = []): Candidate[] {
    const now = this.deps.clock.now();
    const onDuty = this.deps.onDutyAt(now);
    const loads = this.deps.store.acceptedCountsSince(now - this.deps.loadWindowDays * DAY_MS);
    const linked = this.deps.db
      .prepare(
        `SELECT l.user_id, s.commune_code, s.postcode, s.commune FROM member_links l
         JOIN verified_members v ON v.user_id = l.user_id AND v.active = 1
         JOIN directory_people p ON p.national_id = l.national_id AND p.active = 1
         LEFT JOIN directory_sites s ON s.id = (SELECT MIN(id) FROM directory_sites WHERE person_id = p.id AND active = 1)`,
      )
      .all() as { user_id: string; commune_code: string | null; postcode: string | null; commune: string | null }[];
    const candidates: Candidate[] = [];
    for (const row of linked) {
      const member = this.membership.memberOf(row.user_id);
      const place = locateInTerritory(this.deps.territory, { communeCode: row.commune_code ?? "", postcode: row.postcode ?? "", communeName: row.commune ?? "" });
      // Someone practising outside the territory cannot be ranked by distance: not a candidate.
      if (!member || !place) continue;
      const profile = this.profiles.get(row.user_id);
      const hours = profile.hours ? parsePracticeHours(profile.hours) : undefined;
      const load = loads.get(row.user_id);
      candidates.push({
        userId: row.user_id as UserId,
        profession: member.person.profession,
        ...(member.person.specialty !== undefined ? { specialty: member.person.specialty } : {}),
        commune: place,
        inPool: profile.snp === true,
        onDuty: onDuty.has(row.user_id),
        dispo: this.deps.availability.isAvailable(row.user_id),
        ...(hours?.ok ? { hours: hours.hours } : {}),
        recentLoad: load?.count ?? 0,
        ...(load ? { lastAcceptedAt: load.lastAcceptedAt } : {}),
        alreadyNotified: alreadyNotified.includes(row.user_id),
        member: true,
      });
    }
    return candidates;
  }

  /** Still a verified member, and still saying they are available: asked when a later wave comes. */
  stillReachable(userId: string): boolean {
    return this.membership.isVerified(userId) && this.deps.availability.isAvailable(userId);
  }

  displayName(userId: string): string {
    const member = this.membership.memberOf(userId);
    return member ? `${member.person.firstName} ${member.person.lastName}`.trim() : this.deps.matrixName(userId);
  }

  professionLabel(userId: string): string | undefined {
    return this.membership.memberOf(userId)?.person.professionLabel;
  }
}
