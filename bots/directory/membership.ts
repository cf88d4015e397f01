import type { Clock } from "../core/clock.ts";
import type { Db } from "../core/store/database.ts";
import { VerifiedMembers } from "../core/store/verified-members.ts";
import { foldName } from "./territory.ts";

/** A professional of the national directory, as the membership flow needs them. */
export interface DirectoryPerson {
  readonly nationalId: string;
  readonly identifier: string;
  readonly lastName: string;
  readonly firstName: string;
  /** Folded "Libellé profession" (e.g. "medecin", "masseur kinesitherapeute"). */
  readonly profession: string;
  readonly professionLabel: string;
  /** Folded "Libellé savoir-faire" of the specialty that decides the profession room, if any. */
  readonly specialty: string | undefined;
  /** That specialty as published ("Médecine Générale"). */
  readonly specialtyLabel: string | undefined;
  readonly communes: readonly string[];
}

/** The answer to "is this Matrix user a verified member, with which profession and RPPS?". */
export interface Member {
  readonly userId: string;
  readonly person: DirectoryPerson;
}

export interface MembershipRequest {
  readonly id: number;
  readonly userId: string;
  readonly nationalId: string;
  readonly nameMatches: boolean;
  readonly status: "pending" | "approved" | "refused";
  readonly decidedBy: string | null;
}

const GENERAL_PRACTICE = "medecine generale";

interface PersonRow {
  id: number;
  national_id: string;
  identifier: string;
  last_name: string;
  first_name: string;
  profession: string;
}

/**
 * Membership of the CPTS: links between Matrix accounts and national identifiers, requests
 * awaiting the coordinators, and who is verified. The one place the other bots (and later
 * the Synapse policy module) ask about a member.
 */
export class Membership {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly verified: VerifiedMembers;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
    this.verified = new VerifiedMembers(db, clock);
  }

  /** An active person of the directory by RPPS number. */
  findByRpps(rpps: string): DirectoryPerson | undefined {
    const row = this.db
      .prepare("SELECT id, national_id, identifier, last_name, first_name, profession FROM directory_people WHERE id_type = 'rpps' AND identifier = ? AND active = 1")
      .get(rpps) as PersonRow | undefined;
    return row && this.toPerson(row);
  }

  /** The verified member behind a Matrix account, or undefined (unknown, pending, refused or deactivated). */
  memberOf(userId: string): Member | undefined {
    if (!this.verified.isVerified(userId)) return undefined;
    const row = this.db
      .prepare(
        `SELECT p.id, p.national_id, p.identifier, p.last_name, p.first_name, p.profession FROM member_links l
         JOIN directory_people p ON p.national_id = l.national_id WHERE l.user_id = ?`,
      )
      .get(userId) as PersonRow | undefined;
    return row && { userId, person: this.toPerson(row) };
  }

  /** Verified, with or without a directory entry (coordinators may have none). */
  isVerified(userId: string): boolean {
    return this.verified.isVerified(userId);
  }

  /**
   * A coordinator named in the configuration is a verified member (with or without a
   * directory entry): Synapse's room policy lets only verified members be invited, and the
   * annuaire invites the coordinators to their room. Returns true when newly verified.
   */
  verifyCoordinator(userId: string): boolean {
    if (this.verified.isVerified(userId)) return false;
    this.verified.markVerified(userId, "configuration: cpts.coordinators");
    return true;
  }

  linkedAccount(nationalId: string): string | undefined {
    const row = this.db.prepare("SELECT user_id FROM member_links WHERE national_id = ?").get(nationalId) as { user_id: string } | undefined;
    return row?.user_id;
  }

  pendingRequestOf(userId: string): MembershipRequest | undefined {
    return this.request("SELECT * FROM membership_requests WHERE user_id = ? AND status = 'pending'", userId);
  }

  requestById(id: number): MembershipRequest | undefined {
    return this.request("SELECT * FROM membership_requests WHERE id = ?", id);
  }

  requestByCoordinationEvent(eventId: string): MembershipRequest | undefined {
    return this.request("SELECT * FROM membership_requests WHERE coordination_event_id = ?", eventId);
  }

  openRequest(userId: string, nationalId: string, nameMatches: boolean): MembershipRequest {
    const { lastInsertRowid } = this.db
      .prepare("INSERT INTO membership_requests (user_id, national_id, name_matches, status, requested_at) VALUES (?, ?, ?, 'pending', ?)")
      .run(userId, nationalId, nameMatches ? 1 : 0, this.clock.now());
    return this.request("SELECT * FROM membership_requests WHERE id = ?", Number(lastInsertRowid))!;
  }

  attachCoordinationEvent(requestId: number, eventId: string): void {
    this.db.prepare("UPDATE membership_requests SET coordination_event_id = ? WHERE id = ?").run(eventId, requestId);
  }

  /** Links the account to the identifier and verifies it, in one transaction. */
  approve(requestId: number, decidedBy: string): MembershipRequest {
    return this.db.transaction(() => {
      const request = this.decide(requestId, "approved", decidedBy);
      this.db
        .prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET national_id = excluded.national_id, linked_at = excluded.linked_at, linked_by = excluded.linked_by")
        .run(request.userId, request.nationalId, this.clock.now(), decidedBy);
      this.verified.markVerified(request.userId, decidedBy);
      return request;
    })();
  }

  refuse(requestId: number, decidedBy: string): MembershipRequest {
    return this.decide(requestId, "refused", decidedBy);
  }

  deactivate(userId: string): void {
    this.verified.deactivate(userId);
  }

  /** Every linked account with its verified state, for reconciling room memberships at start. */
  linkedAccounts(): { userId: string; verified: boolean }[] {
    return (this.db.prepare("SELECT user_id FROM member_links").all() as { user_id: string }[]).map(({ user_id }) => ({
      userId: user_id,
      verified: this.verified.isVerified(user_id),
    }));
  }

  private decide(requestId: number, status: "approved" | "refused", decidedBy: string): MembershipRequest {
    const changed = this.db
      .prepare("UPDATE membership_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'")
      .run(status, this.clock.now(), decidedBy, requestId).changes;
    if (changed !== 1) throw new Error(`membership request ${requestId} is not pending`);
    return this.request("SELECT * FROM membership_requests WHERE id = ?", requestId)!;
  }

  private request(sql: string, param: string | number): MembershipRequest | undefined {
    const row = this.db.prepare(sql).get(param) as
      | { id: number; user_id: string; national_id: string; name_matches: number; status: MembershipRequest["status"]; decided_by: string | null }
      | undefined;
    return row && { id: row.id, userId: row.user_id, nationalId: row.national_id, nameMatches: row.name_matches === 1, status: row.status, decidedBy: row.decided_by };
  }

  private toPerson(row: PersonRow): DirectoryPerson {
    const skills = this.db.prepare("SELECT label FROM directory_skills WHERE person_id = ? AND active = 1").all(row.id) as { label: string }[];
    const communes = this.db.prepare("SELECT DISTINCT commune FROM directory_sites WHERE person_id = ? AND active = 1 ORDER BY commune").all(row.id) as { commune: string }[];
    const specialtySkill = skills.find((s) => foldName(s.label).includes(GENERAL_PRACTICE)) ?? skills[0];
    const generalPractice = specialtySkill !== undefined && foldName(specialtySkill.label).includes(GENERAL_PRACTICE);
    return {
      nationalId: row.national_id,
      identifier: row.identifier,
      lastName: row.last_name,
      firstName: row.first_name,
      profession: foldName(row.profession),
      professionLabel: row.profession,
      specialty: generalPractice ? GENERAL_PRACTICE : specialtySkill ? foldName(specialtySkill.label) : undefined,
      specialtyLabel: specialtySkill?.label,
      communes: communes.map((c) => c.commune),
    };
  }
}

/** Whether a display name carries the directory's last name (case, accents and hyphens aside). */
export function nameMatches(displayName: string, person: Pick<DirectoryPerson, "lastName">): boolean {
  const shown = new Set(foldName(displayName).split(" "));
  const family = foldName(person.lastName).split(" ").filter((w) => w.length > 0);
  return family.length > 0 && family.every((word) => shown.has(word));
}
