import { describe, expect, it } from "vitest";
import { decideInscription, decisionOf, normaliseRpps, rppsOfIdentityAccount, type InscriptionFacts } from "./inscription.ts";
import type { DirectoryPerson } from "./membership.ts";

const person: DirectoryPerson = {
  nationalId: "810001234567",
  identifier: "10001234567",
  lastName: "Lefèvre",
  firstName: "Anne",
  profession: "medecin",
  professionLabel: "Médecin",
  specialty: "medecine generale",
  specialtyLabel: "Médecine Générale",
  communes: ["Douai"],
};

const facts = (overrides: Partial<InscriptionFacts> = {}): InscriptionFacts => ({
  sender: "@anne:cpts.test",
  member: undefined,
  pending: undefined,
  lookUp: (rpps) => (rpps === person.identifier ? person : undefined),
  linkedAccount: () => undefined,
  trustIdentityAccounts: true,
  ...overrides,
});

describe("decideInscription", () => {
  it("opens a request for a known RPPS, typed with spaces or dots", () => {
    expect(decideInscription("100 0123 4567", facts())).toEqual({ kind: "request", rpps: "10001234567", person });
    expect(decideInscription("100.012.345.67", facts())).toMatchObject({ kind: "request" });
  });

  it("explains a malformed or unknown number", () => {
    expect(decideInscription("1234", facts())).toEqual({ kind: "invalid-rpps" });
    expect(decideInscription("", facts())).toEqual({ kind: "invalid-rpps" });
    expect(decideInscription("1000123456X", facts())).toEqual({ kind: "invalid-rpps" });
    expect(decideInscription("99999999999", facts())).toEqual({ kind: "unknown-rpps", rpps: "99999999999" });
  });

  it("does not open a second request, nor one for a member, nor for an RPPS linked to someone else", () => {
    const member = { userId: "@anne:cpts.test", person };
    expect(decideInscription("10001234567", facts({ member }))).toEqual({ kind: "already-member", member });
    const pending = { id: 1, userId: "@anne:cpts.test", nationalId: person.nationalId, nameMatches: true, status: "pending" as const, decidedBy: null };
    expect(decideInscription("10001234567", facts({ pending }))).toEqual({ kind: "already-pending" });
    expect(decideInscription("10001234567", facts({ linkedAccount: () => "@someone-else:cpts.test" }))).toEqual({ kind: "rpps-taken" });
    expect(decideInscription("10001234567", facts({ linkedAccount: () => "@anne:cpts.test" }))).toMatchObject({ kind: "request" });
  });
});

describe("accounts named after the national identifier (Pro Santé Connect)", () => {
  const identity = "@ps810001234567:cpts.test";

  it("are approved without a coordinator for their own RPPS, typed or not", () => {
    expect(rppsOfIdentityAccount(identity)).toBe("10001234567");
    expect(decideInscription("", facts({ sender: identity }))).toEqual({ kind: "auto-approve", rpps: "10001234567", person });
    expect(decideInscription("10001234567", facts({ sender: identity }))).toMatchObject({ kind: "auto-approve" });
  });

  it("go through the coordinators for another RPPS, or when the CPTS does not trust them", () => {
    expect(decideInscription("10001234567", facts({ sender: "@ps899999999999:cpts.test" }))).toMatchObject({ kind: "request" });
    expect(decideInscription("10001234567", facts({ sender: identity, trustIdentityAccounts: false }))).toMatchObject({ kind: "request" });
    expect(decideInscription("", facts({ sender: identity, trustIdentityAccounts: false }))).toEqual({ kind: "invalid-rpps" });
    expect(rppsOfIdentityAccount("@anne:cpts.test")).toBeUndefined();
  });
});

describe("decisionOf and normaliseRpps", () => {
  it("reads the usual yes and no emojis, whatever variant the keyboard sends", () => {
    for (const key of ["✅", "✔️", "👍", " ✅ "]) expect(decisionOf(key)).toBe("approve");
    for (const key of ["❌", "👎", "🚫"]) expect(decisionOf(key)).toBe("refuse");
    for (const key of ["😀", "", "ok"]) expect(decisionOf(key)).toBe("none");
  });

  it("keeps 11 digits only", () => {
    expect(normaliseRpps(" 10001234567 ")).toBe("10001234567");
    expect(normaliseRpps("1000123456")).toBeUndefined();
    expect(normaliseRpps("100012345678")).toBeUndefined();
  });
});
