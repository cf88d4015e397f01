// Typed identifiers of the care bot: a room id, a display name or a case code is never
// passed where a Matrix user id is expected.

export { isUserId, type UserId, userId } from "../../core/matrix-ids.ts";
/** A patient case (its care team and room): "C-7K3F". Pseudonymous: it names no one. */
export type CaseCode = string & { readonly __brand: "CaseCode" };
/** A referral (adressage): "AD-7K3F". */
export type ReferralCode = string & { readonly __brand: "ReferralCode" };
/** A téléexpertise request: "AV-7K3F". */
export type ExpertiseCode = string & { readonly __brand: "ExpertiseCode" };

/** No 0/O or 1/I: codes are read aloud on the phone and typed on phones. */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 4;

export const CODE_PREFIXES = { case: "C", referral: "AD", expertise: "AV" } as const;
export type CodeKind = keyof typeof CODE_PREFIXES;

/** A code from bytes (a digest of the command's event id, or random bytes). */
export function codeFromBytes(kind: CodeKind, bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new Error("need at least 4 bytes for a code");
  const letters = Array.from(bytes.subarray(0, CODE_LENGTH), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
  return `${CODE_PREFIXES[kind]}-${letters}`;
}

/** "c-7k3f", "7K3F", "C 7K3F" → "C-7K3F"; undefined when it cannot be one. */
export function normaliseCode(kind: CodeKind, input: string): string | undefined {
  const prefix = CODE_PREFIXES[kind];
  const match = new RegExp(`^(?:${prefix}[-\\s]?)?([a-z0-9]{${CODE_LENGTH}})$`, "i").exec(input.trim());
  if (!match) return undefined;
  const letters = match[1]!.toUpperCase();
  return [...letters].every((c) => CODE_ALPHABET.includes(c)) ? `${prefix}-${letters}` : undefined;
}

export const caseCode = (value: string): CaseCode => value as CaseCode;
export const referralCode = (value: string): ReferralCode => value as ReferralCode;
export const expertiseCode = (value: string): ExpertiseCode => value as ExpertiseCode;

/** An 11-digit RPPS number. */
export function isRpps(value: string): boolean {
  return /^\d{11}$/.test(value.trim());
}
