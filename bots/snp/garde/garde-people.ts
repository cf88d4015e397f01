import type { Directory } from "../../directory/directory-port.ts";

/** How the rota shows a person on duty. */
export interface OnDutyPerson {
  readonly userId: string;
  /** "Anne Lefèvre", or the Matrix id when the account is not a verified member of the directory. */
  readonly name: string;
  /** "Médecin — Médecine Générale"; null when unknown. */
  readonly profession: string | null;
  /** E.164 ("+33327000000"), ready to dial; null when the directory has no usable number. */
  readonly phone: string | null;
  readonly member: boolean;
}

/** The port the command and the telephone endpoint read people through. */
export interface GardePeople {
  describe(userId: string): OnDutyPerson;
}

/** Reads the directory: the verified member behind the account, and the phone of their first active practice site. */
export class DirectoryGardePeople implements GardePeople {
  private readonly directory: Pick<Directory, "memberOf" | "practicePhones">;

  constructor(directory: Pick<Directory, "memberOf" | "practicePhones">) {
    this.directory = directory;
  }

  describe(userId: string): OnDutyPerson {
    const member = this.directory.memberOf(userId);
    if (!member) return { userId, name: userId, profession: null, phone: null, member: false };
    const { person } = member;
    const profession = person.specialtyLabel ? `${person.professionLabel} — ${person.specialtyLabel}` : person.professionLabel;
    return { userId, name: `${person.firstName} ${person.lastName}`.trim(), profession, phone: this.phoneOf(userId), member: true };
  }

  private phoneOf(userId: string): string | null {
    for (const phone of this.directory.practicePhones(userId)) {
      const dialable = toE164(phone);
      if (dialable) return dialable;
    }
    return null;
  }
}

/**
 * The directory publishes French numbers as typed ("03 27 00 00 00", "0327000000"); a
 * telephone system dials E.164. Anything else is not guessed at: null, so the caller falls back.
 */
export function toE164(published: string): string | null {
  const compact = published.replace(/[\s.\-()]/g, "");
  if (/^0[1-9]\d{8}$/.test(compact)) return `+33${compact.slice(1)}`;
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  if (/^00[1-9]\d{6,14}$/.test(compact)) return `+${compact.slice(2)}`;
  return null;
}
