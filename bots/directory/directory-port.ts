// The directory as the other modules read it (SNP, care teams, the MSSanté bridge, the
// policy endpoint): read-only queries over the directory's data. The directory bot owns
// and writes these tables; every other module asks through this port, never with SQL.
import type { Profile } from "./profile/profile-fields.ts";
import type { DirectoryQuery } from "./search/query.ts";
import type { SearchOptions, SearchPage } from "./search/search.ts";
import type { DirectoryPerson, Member } from "./membership.ts";

export type { DirectoryPerson, Member } from "./membership.ts";
export type { Profile } from "./profile/profile-fields.ts";
export type { DirectoryQuery } from "./search/query.ts";
export type { SearchOptions, SearchPage, SearchResult } from "./search/search.ts";

/** Verified now, verified once and deactivated since, or never verified. */
export type MemberStatus = "verified" | "deactivated" | "unknown";

/** Where a practice is, as the national directory publishes it. */
export interface PracticePlace {
  readonly communeCode: string | null;
  readonly postcode: string | null;
  readonly commune: string | null;
}

/** A verified member with an active entry in the national directory. */
export interface PractisingMember {
  readonly userId: string;
  /** "Médecin", as published ("Libellé profession"). */
  readonly profession: string;
  /** The first of their active practice sites; undefined when they have none. */
  readonly firstSite: PracticePlace | undefined;
}

export interface Directory {
  memberStatus(userId: string): MemberStatus;
  /** Verified, with or without a directory entry (coordinators may have none). */
  isVerified(userId: string): boolean;
  /** The verified member behind a Matrix account, or undefined (unknown, pending, refused or deactivated). */
  memberOf(userId: string): Member | undefined;
  /** An active person of the directory by RPPS number. */
  findByRpps(rpps: string): DirectoryPerson | undefined;
  /** The account linked to a national identifier, verified or not. */
  linkedAccount(nationalId: string): string | undefined;
  /** Every verified member with an active directory entry. */
  practisingMembers(): PractisingMember[];
  /** The labels of the active specialties ("savoir-faire") of a practising member, as published. */
  specialtiesOf(userId: string): string[];
  /** The phone numbers of the active practice sites behind an account, as published, first site first. */
  practicePhones(userId: string): string[];
  /** The verified member whose active person publishes this active MSSanté address (the earliest linked when several). */
  memberForMssanteAddress(address: string): string | undefined;
  /** What the member added to their card (SNP pool, hours, skills…); empty when nothing. */
  profileOf(userId: string): Profile;
  /** The `!annuaire` search (same understanding and ranking). */
  search(query: DirectoryQuery, options: SearchOptions): SearchPage;
}
