import type { DirectoryPerson, Member, MembershipRequest } from "./membership.ts";

/** What a `!inscription <RPPS>` leads to, decided without any I/O. */
export type InscriptionOutcome =
  | { readonly kind: "invalid-rpps" }
  | { readonly kind: "already-member"; readonly member: Member }
  | { readonly kind: "already-pending" }
  | { readonly kind: "unknown-rpps"; readonly rpps: string }
  | { readonly kind: "rpps-taken" }
  | { readonly kind: "request"; readonly rpps: string; readonly person: DirectoryPerson }
  | { readonly kind: "auto-approve"; readonly rpps: string; readonly person: DirectoryPerson };

export interface InscriptionFacts {
  readonly sender: string;
  readonly member: Member | undefined;
  readonly pending: MembershipRequest | undefined;
  readonly lookUp: (rpps: string) => DirectoryPerson | undefined;
  readonly linkedAccount: (nationalId: string) => string | undefined;
  /**
   * Accounts named "ps" + national identifier ("8" + RPPS) are the ones Pro Santé Connect
   * signs in to (see synapse-config/homeserver.production.yaml; registration is closed:
   * only the CPTS and PSC reach them); when trusted, such an account asking for its own
   * RPPS is approved without a coordinator.
   */
  readonly trustIdentityAccounts: boolean;
}

/** The RPPS an account's name carries, for accounts named after the national identifier. */
export function rppsOfIdentityAccount(userId: string): string | undefined {
  return /^@ps8(\d{11}):/.exec(userId)?.[1];
}

/** RPPS numbers have 11 digits; people type them with spaces or dots. */
export function normaliseRpps(input: string): string | undefined {
  const digits = input.replace(/[\s.\-]/g, "");
  return /^\d{11}$/.test(digits) ? digits : undefined;
}

export function decideInscription(input: string, facts: InscriptionFacts): InscriptionOutcome {
  if (facts.member) return { kind: "already-member", member: facts.member };
  if (facts.pending) return { kind: "already-pending" };
  const identityRpps = facts.trustIdentityAccounts ? rppsOfIdentityAccount(facts.sender) : undefined;
  const rpps = input.trim() === "" && identityRpps ? identityRpps : normaliseRpps(input);
  if (!rpps) return { kind: "invalid-rpps" };
  const person = facts.lookUp(rpps);
  if (!person) return { kind: "unknown-rpps", rpps };
  const linked = facts.linkedAccount(person.nationalId);
  if (linked !== undefined && linked !== facts.sender) return { kind: "rpps-taken" };
  return { kind: rpps === identityRpps ? "auto-approve" : "request", rpps, person };
}

export type ReactionDecision = "approve" | "refuse" | "none";

const APPROVE = new Set(["✅", "✔️", "✔", "☑️", "👍", "👍️"]);
const REFUSE = new Set(["❌", "✖️", "✖", "🚫", "👎", "👎️"]);

/** One tap: the usual "yes" and "no" emojis, whichever variant the phone's keyboard sends. */
export function decisionOf(reactionKey: string): ReactionDecision {
  const key = reactionKey.trim();
  if (APPROVE.has(key)) return "approve";
  if (REFUSE.has(key)) return "refuse";
  return "none";
}
