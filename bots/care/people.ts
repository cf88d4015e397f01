import type { MatrixClient } from "matrix-js-sdk";
import type { Clock } from "../core/clock.ts";
import { MatrixNames } from "../core/matrix/display-name.ts";
import type { Messenger } from "../core/matrix/messenger.ts";
import type { Db } from "../core/store/database.ts";
import { Membership } from "../directory/membership.ts";
import { Profiles } from "../directory/profile/profile-store.ts";
import { parseDirectoryQuery } from "../directory/search/query.ts";
import { ensureSearchIndex } from "../directory/search/search-index.ts";
import { searchDirectory } from "../directory/search/search.ts";
import { foldName, type Commune, type Territory } from "../directory/territory.ts";
import type { MemberStatus } from "./domain/care-case.ts";
import type { ExpertCandidate } from "./domain/expertise.ts";
import type { PersonOnRecord } from "./domain/expertise-export.ts";
import type { UserId } from "./domain/ids.ts";

/** A member as the care commands show them: enough to tell two people apart. */
export interface PersonView {
  readonly userId: UserId;
  readonly name: string;
  readonly profession?: string;
  readonly commune?: string;
}

export type SearchOutcome =
  | { readonly ok: true; readonly members: readonly PersonView[]; readonly notOnMessaging: number }
  | { readonly ok: false; readonly error: "empty" | "too-long" };

const SEARCH_LIMIT = 20;

/**
 * The directory, read as the care bot needs it: who is a verified member (or was), names,
 * RPPS numbers, the `!annuaire` search (same understanding and ranking), and the experts
 * of a specialty. Read-only: the directory bot owns these tables.
 */
export class CarePeople {
  private readonly db: Db;
  private readonly territory: Territory;
  private readonly names: MatrixNames;
  private readonly messenger: Messenger;
  private readonly membership: Membership;
  private readonly profiles: Profiles;

  constructor(db: Db, clock: Clock, territory: Territory, client: MatrixClient, messenger: Messenger) {
    this.messenger = messenger;
    this.db = db;
    this.territory = territory;
    this.names = new MatrixNames(client);
    this.membership = new Membership(db, clock);
    this.profiles = new Profiles(db, clock);
  }

  /** Verified now, verified once and deactivated since, or never verified. */
  statusOf(userId: string): MemberStatus {
    const row = this.db.prepare("SELECT active FROM verified_members WHERE user_id = ?").get(userId) as { active: number } | undefined;
    if (!row) return "unknown";
    return row.active === 1 ? "verified" : "deactivated";
  }

  nameOf(userId: string): string {
    const member = this.membership.memberOf(userId);
    if (member) return `${member.person.firstName} ${member.person.lastName}`.trim();
    return this.names.nameOf(userId);
  }

  /**
   * Before naming someone the directory does not know, just invited to `roomId`: their
   * invitation, once synced, carries their display name (when the server adds it); else their profile.
   */
  async learnName(roomId: string, userId: string): Promise<void> {
    if (this.membership.memberOf(userId)) return;
    await this.messenger.waitUntilMembers(roomId, [userId]).catch(() => undefined);
    await this.names.learn(userId);
  }

  /** "Sophie Bernard (Infirmier, Douai)". */
  describe(userId: string): string {
    const view = this.view(userId as UserId);
    const details = [view.profession, view.commune].filter((d): d is string => d !== undefined);
    return details.length > 0 ? `${view.name} (${details.join(", ")})` : view.name;
  }

  professionOf(userId: string): string | undefined {
    return this.membership.memberOf(userId)?.person.professionLabel;
  }

  onRecord(userId: string): PersonOnRecord {
    const person = this.membership.memberOf(userId)?.person;
    return { name: this.nameOf(userId), ...(person?.identifier ? { rpps: person.identifier } : {}) };
  }

  /** The account linked to an RPPS number, and the person's name when the directory knows them. */
  byRpps(rpps: string): { userId: UserId | undefined; name: string | undefined } {
    const person = this.membership.findByRpps(rpps);
    if (!person) return { userId: undefined, name: undefined };
    return { userId: this.membership.linkedAccount(person.nationalId) as UserId | undefined, name: `${person.firstName} ${person.lastName}`.trim() };
  }

  /** The `!annuaire` search, keeping the verified members who have an account; nearest the asker first. */
  search(text: string, asker: string): SearchOutcome {
    const parsed = parseDirectoryQuery(text, this.territory);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    ensureSearchIndex(this.db);
    const page = searchDirectory(this.db, this.territory, parsed.query, { ...this.originOf(asker), page: 1, pageSize: SEARCH_LIMIT });
    const members = page.results.filter((r) => r.matrixUserId !== undefined && this.statusOf(r.matrixUserId) === "verified");
    return {
      ok: true,
      members: members.map((r) => ({ userId: r.matrixUserId as UserId, name: r.name, profession: r.profession, ...(r.commune ? { commune: r.commune } : {}) })),
      notOnMessaging: page.results.length - members.length,
    };
  }

  /** Every verified member with a directory entry, with what expertise routing reads. */
  expertCandidates(): ExpertCandidate[] {
    const rows = this.db
      .prepare(
        `SELECT l.user_id, p.id AS person_id, p.profession FROM member_links l
         JOIN verified_members v ON v.user_id = l.user_id AND v.active = 1
         JOIN directory_people p ON p.national_id = l.national_id AND p.active = 1`,
      )
      .all() as { user_id: string; person_id: number; profession: string }[];
    const skills = this.db.prepare("SELECT label FROM directory_skills WHERE person_id = ? AND active = 1").pluck();
    return rows.map((row) => ({
      userId: row.user_id as UserId,
      profession: foldName(row.profession),
      specialties: (skills.all(row.person_id) as string[]).map(foldName),
      declaredSkills: this.profiles.get(row.user_id).skills.map(foldName),
    }));
  }

  private view(userId: UserId): PersonView {
    const person = this.membership.memberOf(userId)?.person;
    return { userId, name: this.nameOf(userId), ...(person ? { profession: person.professionLabel } : {}), ...(person?.communes[0] ? { commune: person.communes[0] } : {}) };
  }

  private originOf(userId: string): { origin?: Commune } {
    const communes = this.membership.memberOf(userId)?.person.communes ?? [];
    const origin = this.territory.communes.find((c) => communes.some((name) => foldName(name) === foldName(c.name)));
    return origin ? { origin } : {};
  }
}
