// What the console shows about membership, read from the directory's tables: requests
// waiting for a coordinator, verified members by profession, members over time.
import type { Db } from "../core/store/database.ts";
import type { Membership } from "./membership.ts";

export interface PendingRequestView {
  readonly id: number;
  readonly userId: string;
  readonly requestedAt: number;
  readonly nameMatches: boolean;
  /** From the national directory; undefined when the person left it since the request. */
  readonly person: { readonly rpps: string; readonly name: string; readonly profession: string; readonly communes: string } | undefined;
}

export interface MemberView {
  readonly userId: string;
  readonly verifiedAt: number;
  /** "Jeanne Dupont"; undefined for accounts verified without a directory entry (coordinators). */
  readonly name: string | undefined;
  /** "Médecin — Médecine Générale", or "Sans fiche de l'annuaire". */
  readonly profession: string;
}

export const NO_DIRECTORY_ENTRY = "Sans fiche de l'annuaire";

export class MemberQueries {
  private readonly db: Db;
  private readonly membership: Membership;

  constructor(db: Db, membership: Membership) {
    this.db = db;
    this.membership = membership;
  }

  pendingRequests(): PendingRequestView[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.user_id, r.requested_at, r.name_matches, p.id AS person_id, p.identifier, p.first_name, p.last_name, p.profession
         FROM membership_requests r LEFT JOIN directory_people p ON p.national_id = r.national_id AND p.active = 1
         WHERE r.status = 'pending' ORDER BY r.requested_at, r.id`,
      )
      .all() as {
      id: number; user_id: string; requested_at: number; name_matches: number;
      person_id: number | null; identifier: string | null; first_name: string | null; last_name: string | null; profession: string | null;
    }[];
    const communes = this.db.prepare("SELECT DISTINCT commune FROM directory_sites WHERE person_id = ? AND active = 1 ORDER BY commune").pluck();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      requestedAt: r.requested_at,
      nameMatches: r.name_matches === 1,
      person: r.person_id === null
        ? undefined
        : {
            rpps: r.identifier ?? "",
            name: `${r.first_name ?? ""} ${r.last_name ?? ""}`.trim(),
            profession: r.profession ?? "",
            communes: (communes.all(r.person_id) as string[]).join(", "),
          },
    }));
  }

  /** Active verified members, by profession then name. */
  members(): MemberView[] {
    const rows = this.db.prepare("SELECT user_id, verified_at FROM verified_members WHERE active = 1").all() as { user_id: string; verified_at: number }[];
    const views = rows.map(({ user_id, verified_at }): MemberView => {
      const member = this.membership.memberOf(user_id);
      if (!member) return { userId: user_id, verifiedAt: verified_at, name: undefined, profession: NO_DIRECTORY_ENTRY };
      const { person } = member;
      return {
        userId: user_id,
        verifiedAt: verified_at,
        name: `${person.firstName} ${person.lastName}`.trim(),
        profession: person.specialtyLabel ? `${person.professionLabel} — ${person.specialtyLabel}` : person.professionLabel,
      };
    });
    const collator = new Intl.Collator("fr");
    return views.sort((a, b) => collator.compare(a.profession, b.profession) || collator.compare(a.name ?? a.userId, b.name ?? b.userId));
  }

  /** When each active member was verified (the last time, for an account verified again). */
  verificationTimes(): number[] {
    return this.db.prepare("SELECT verified_at FROM verified_members WHERE active = 1 ORDER BY verified_at").pluck().all() as number[];
  }
}

/** Members by profession, most numerous first. */
export function countByProfession(members: readonly MemberView[]): { profession: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.profession, (counts.get(m.profession) ?? 0) + 1);
  const collator = new Intl.Collator("fr");
  return [...counts].map(([profession, count]) => ({ profession, count })).sort((a, b) => b.count - a.count || collator.compare(a.profession, b.profession));
}
