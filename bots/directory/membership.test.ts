import { describe, expect, it } from "vitest";
import { insertPeople } from "../../test/helpers/directory-rows.ts";
import type { Clock } from "../core/clock.ts";
import { openDatabase } from "../database.ts";
import { Membership, nameMatches } from "./membership.ts";

const clock: Clock = { now: () => 1_000 };

function setup() {
  const db = openDatabase(":memory:");
  insertPeople(db, [
    { rpps: "10001234567", lastName: "Lefèvre", firstName: "Anne", profession: "Médecin", skills: ["Médecine Générale"], commune: "Douai" },
    { rpps: "10007654321", lastName: "O'Neil", firstName: "Marc", profession: "Infirmier", commune: "Sin-le-Noble" },
    { rpps: "10000000001", lastName: "Ancien", firstName: "Paul", profession: "Pharmacien", active: false },
  ]);
  return new Membership(db, clock);
}

describe("Membership", () => {
  it("finds active people by RPPS, with their profession and GP specialty folded", () => {
    const membership = setup();
    expect(membership.findByRpps("10001234567")).toMatchObject({ lastName: "Lefèvre", profession: "medecin", specialty: "medecine generale", communes: ["Douai"] });
    expect(membership.findByRpps("10007654321")).toMatchObject({ profession: "infirmier", specialty: undefined });
    expect(membership.findByRpps("10000000001")).toBeUndefined();
  });

  it("makes a configured coordinator a verified member once, without a directory entry", () => {
    const membership = setup();
    expect(membership.isVerified("@coordination:cpts.test")).toBe(false);
    expect(membership.verifyCoordinator("@coordination:cpts.test")).toBe(true);
    expect(membership.isVerified("@coordination:cpts.test")).toBe(true);
    expect(membership.memberOf("@coordination:cpts.test")).toBeUndefined();
    expect(membership.verifyCoordinator("@coordination:cpts.test")).toBe(false);
  });

  it("links and verifies on approval, in one step, and answers who the member is", () => {
    const membership = setup();
    const person = membership.findByRpps("10001234567")!;
    const request = membership.openRequest("@anne:cpts.test", person.nationalId, true);
    expect(membership.memberOf("@anne:cpts.test")).toBeUndefined();
    expect(membership.pendingRequestOf("@anne:cpts.test")?.id).toBe(request.id);
    membership.attachCoordinationEvent(request.id, "$notice");
    expect(membership.requestByCoordinationEvent("$notice")?.id).toBe(request.id);
    membership.approve(request.id, "@coord:cpts.test");
    expect(membership.memberOf("@anne:cpts.test")?.person.identifier).toBe("10001234567");
    expect(membership.linkedAccount(person.nationalId)).toBe("@anne:cpts.test");
    expect(membership.pendingRequestOf("@anne:cpts.test")).toBeUndefined();
    expect(() => membership.refuse(request.id, "@coord:cpts.test")).toThrow(/not pending/);
  });

  it("keeps one pending request per account, and a refusal leaves the account unverified", () => {
    const membership = setup();
    const person = membership.findByRpps("10007654321")!;
    const request = membership.openRequest("@marc:cpts.test", person.nationalId, false);
    expect(() => membership.openRequest("@marc:cpts.test", person.nationalId, false)).toThrow();
    membership.refuse(request.id, "@coord:cpts.test");
    expect(membership.memberOf("@marc:cpts.test")).toBeUndefined();
    expect(membership.linkedAccount(person.nationalId)).toBeUndefined();
  });

  it("deactivation ends membership but keeps the link (never deleting a member's data)", () => {
    const membership = setup();
    const request = membership.openRequest("@anne:cpts.test", membership.findByRpps("10001234567")!.nationalId, true);
    membership.approve(request.id, "@coord:cpts.test");
    membership.deactivate("@anne:cpts.test");
    expect(membership.memberOf("@anne:cpts.test")).toBeUndefined();
    expect(membership.linkedAccounts()).toEqual([{ userId: "@anne:cpts.test", verified: false }]);
  });
});

describe("nameMatches", () => {
  it("finds the directory's last name in a display name, accents and case aside", () => {
    expect(nameMatches("Dr Anne LEFEVRE", { lastName: "Lefèvre" })).toBe(true);
    expect(nameMatches("Marc O'Neil (IDE)", { lastName: "O'Neil" })).toBe(true);
    expect(nameMatches("Jean-Pierre Martin", { lastName: "Lefèvre" })).toBe(false);
    expect(nameMatches("anne", { lastName: "" })).toBe(false);
  });
});
