import type { MatrixClient } from "matrix-js-sdk";
import { MatrixNames } from "../core/matrix/display-name.ts";
import type { Messenger } from "../core/matrix/messenger.ts";
import type { Directory } from "../directory/directory-port.ts";
import { parseDirectoryQuery } from "../directory/search/query.ts";
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
 * of a specialty, through the Directory port.
 */
export class CarePeople {
  private readonly directory: Directory;
  private readonly territory: Territory;
  private readonly names: MatrixNames;
  private readonly messenger: Messenger;

  constructor(directory: Directory, territory: Territory, client: MatrixClient, messenger: Messenger) {
    this.messenger = messenger;
    this.directory = directory;
    this.territory = territory;
    this.names = new MatrixNames(client);
  }

  /** Verified now, verified once and deactivated since, or never verified. */
  statusOf(userId: string): MemberStatus {
    return this.directory.memberStatus(userId);
  }

  nameOf(userId: string): string {
    const member = this.directory.memberOf(userId);
    if (member) return `${member.person.firstName} ${member.person.lastName}`.trim();
    return this.names.nameOf(userId);
  }

  /**
   * Before naming someone the directory does not know, just invited to `roomId`: their
   * invitation, once synced, carries their display name (when the server adds it); else their profile.
   */
  async learnName(roomId: string, userId: string): Promise<void> {
    if (this.directory.memberOf(userId)) return;
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
    return this.directory.memberOf(userId)?.person.professionLabel;
  }

  onRecord(userId: string): PersonOnRecord {
    const person = this.directory.memberOf(userId)?.person;
    return { name: this.nameOf(userId), ...(person?.identifier ? { rpps: person.identifier } : {}) };
  }

  /** The account linked to an RPPS number, and the person's name when the directory knows them. */
  byRpps(rpps: string): { userId: UserId | undefined; name: string | undefined } {
    const person = this.directory.findByRpps(rpps);
    if (!person) return { userId: undefined, name: undefined };
    return { userId: this.directory.linkedAccount(person.nationalId) as UserId | undefined, name: `${person.firstName} ${person.lastName}`.trim() };
  }

  /** The `!annuaire` search, keeping the verified members who have an account; nearest the asker first. */
  search(text: string, asker: string): SearchOutcome {
    const parsed = parseDirectoryQuery(text, this.territory);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const page = this.directory.search(parsed.query, { ...this.originOf(asker), page: 1, pageSize: SEARCH_LIMIT });
    const members = page.results.filter((r) => r.matrixUserId !== undefined && this.statusOf(r.matrixUserId) === "verified");
    return {
      ok: true,
      members: members.map((r) => ({ userId: r.matrixUserId as UserId, name: r.name, profession: r.profession, ...(r.commune ? { commune: r.commune } : {}) })),
      notOnMessaging: page.results.length - members.length,
    };
  }

  /** Every verified member with a directory entry, with what expertise routing reads. */
  expertCandidates(): ExpertCandidate[] {
    return this.directory.practisingMembers().map((member) => ({
      userId: member.userId as UserId,
      profession: foldName(member.profession),
      specialties: this.directory.specialtiesOf(member.userId).map(foldName),
      declaredSkills: this.directory.profileOf(member.userId).skills.map(foldName),
    }));
  }

  private view(userId: UserId): PersonView {
    const person = this.directory.memberOf(userId)?.person;
    return { userId, name: this.nameOf(userId), ...(person ? { profession: person.professionLabel } : {}), ...(person?.communes[0] ? { commune: person.communes[0] } : {}) };
  }

  private originOf(userId: string): { origin?: Commune } {
    const communes = this.directory.memberOf(userId)?.person.communes ?? [];
    const origin = this.territory.communes.find((c) => communes.some((name) => foldName(name) === foldName(c.name)));
    return origin ? { origin } : {};
  }
}
