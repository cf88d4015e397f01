import type { Clock } from "../core/clock.ts";
import type { Db } from "../core/store/database.ts";
import { VerifiedMembers } from "../core/store/verified-members.ts";
import type { Territory } from "../core/cpts.ts";
import type { Directory, MemberStatus, PractisingMember } from "./directory-port.ts";
import { Membership, type DirectoryPerson, type Member } from "./membership.ts";
import type { Profile } from "./profile/profile-fields.ts";
import { Profiles } from "./profile/profile-store.ts";
import type { DirectoryQuery } from "./search/query.ts";
import { ensureSearchIndex } from "./search/search-index.ts";
import { searchDirectory, type SearchOptions, type SearchPage } from "./search/search.ts";

/**
 * The Directory port over the bots' SQLite database (bots.db), which every bot process opens:
 * each process reads the directory bot's tables through this adapter, as it finds them.
 */
export class SqliteDirectory implements Directory {
  private readonly db: Db;
  private readonly territory: Territory;
  private readonly membership: Membership;
  private readonly verified: VerifiedMembers;
  private readonly profiles: Profiles;

  constructor(db: Db, clock: Clock, territory: Territory) {
    this.db = db;
    this.territory = territory;
    this.membership = new Membership(db, clock);
    this.verified = new VerifiedMembers(db, clock);
    this.profiles = new Profiles(db, clock);
  }

  memberStatus(userId: string): MemberStatus {
    return this.verified.status(userId);
  }

  isVerified(userId: string): boolean {
    return this.verified.isVerified(userId);
  }

  memberOf(userId: string): Member | undefined {
    return this.membership.memberOf(userId);
  }

  findByRpps(rpps: string): DirectoryPerson | undefined {
    return this.membership.findByRpps(rpps);
  }

  linkedAccount(nationalId: string): string | undefined {
    return this.membership.linkedAccount(nationalId);
  }

  practisingMembers(): PractisingMember[] {
    const rows = this.db
      .prepare(
        `SELECT l.user_id, p.profession, s.id AS site_id, s.commune_code, s.postcode, s.commune FROM member_links l
         JOIN verified_members v ON v.user_id = l.user_id AND v.active = 1
         JOIN directory_people p ON p.national_id = l.national_id AND p.active = 1
         LEFT JOIN directory_sites s ON s.id = (SELECT MIN(id) FROM directory_sites WHERE person_id = p.id AND active = 1)`,
      )
      .all() as { user_id: string; profession: string; site_id: number | null; commune_code: string | null; postcode: string | null; commune: string | null }[];
    return rows.map((row) => ({
      userId: row.user_id,
      profession: row.profession,
      firstSite: row.site_id === null ? undefined : { communeCode: row.commune_code, postcode: row.postcode, commune: row.commune },
    }));
  }

  specialtiesOf(userId: string): string[] {
    return this.db
      .prepare(
        `SELECT k.label FROM member_links l
         JOIN directory_people p ON p.national_id = l.national_id AND p.active = 1
         JOIN directory_skills k ON k.person_id = p.id AND k.active = 1
         WHERE l.user_id = ? ORDER BY k.id`,
      )
      .pluck()
      .all(userId) as string[];
  }

  practicePhones(userId: string): string[] {
    return this.db
      .prepare(
        `SELECT s.phone FROM member_links l
         JOIN directory_people p ON p.national_id = l.national_id
         JOIN directory_sites s ON s.person_id = p.id AND s.active = 1
         WHERE l.user_id = ? AND s.phone <> '' ORDER BY s.id`,
      )
      .pluck()
      .all(userId) as string[];
  }

  memberForMssanteAddress(address: string): string | undefined {
    return this.db
      .prepare(
        `SELECT l.user_id FROM directory_mssante m
         JOIN directory_people p ON p.id = m.person_id AND p.active = 1
         JOIN member_links l ON l.national_id = p.national_id
         JOIN verified_members v ON v.user_id = l.user_id AND v.active = 1
         WHERE m.address = ? AND m.active = 1
         ORDER BY l.linked_at LIMIT 1`,
      )
      .pluck()
      .get(address.toLowerCase()) as string | undefined;
  }

  profileOf(userId: string): Profile {
    return this.profiles.get(userId);
  }

  search(query: DirectoryQuery, options: SearchOptions): SearchPage {
    ensureSearchIndex(this.db);
    return searchDirectory(this.db, this.territory, query, options);
  }
}
