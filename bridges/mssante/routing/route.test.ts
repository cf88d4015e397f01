import { describe, expect, it } from "vitest";
import type { MessageId } from "../mail/message-id.ts";
import { answeredIds, caseTagsOf, routeMail, type RoutingFacts, type RoutingLookups } from "./route.ts";

const id = (value: string): MessageId => value as MessageId;
const nothing: RoutingLookups = {
  threadOf: () => undefined,
  caseRoomForPatient: () => undefined,
  caseRoomForTag: () => undefined,
  memberForAddress: () => undefined,
};
const facts: RoutingFacts = { answers: [id("a@x")], patientIds: ["290017512345612"], caseTags: ["7F3K"], recipients: ["dr.b@medecin.mssante.test"] };
const thread = { roomId: "!thread", rootEventId: "$root", eventId: "$a" };

describe("routeMail", () => {
  it("sends a reply to the conversation it answers, before anything else", () => {
    const lookups: RoutingLookups = {
      threadOf: (m) => (m === "a@x" ? thread : undefined),
      caseRoomForPatient: () => "!case",
      caseRoomForTag: () => "!tag",
      memberForAddress: () => "@b:cpts",
    };
    expect(routeMail(facts, lookups)).toEqual({ kind: "thread", thread });
  });

  it("then the open case room of the patient", () => {
    expect(routeMail(facts, { ...nothing, caseRoomForPatient: (p) => (p === "290017512345612" ? "!case" : undefined), caseRoomForTag: () => "!tag" })).toEqual({ kind: "case-patient", roomId: "!case" });
  });

  it("then a case tag", () => {
    expect(routeMail(facts, { ...nothing, caseRoomForTag: (t) => (t === "7F3K" ? "!tag" : undefined), memberForAddress: () => "@b:cpts" })).toEqual({ kind: "case-tag", roomId: "!tag" });
  });

  it("then the professional the mail is addressed to", () => {
    expect(routeMail(facts, { ...nothing, memberForAddress: (a) => (a === "dr.b@medecin.mssante.test" ? "@b:cpts" : undefined) })).toEqual({ kind: "direct", userId: "@b:cpts" });
  });

  it("else the coordinators' triage room: nothing is dropped", () => {
    expect(routeMail(facts, nothing)).toEqual({ kind: "triage" });
    expect(routeMail({ answers: [], patientIds: [], caseTags: [], recipients: [] }, nothing)).toEqual({ kind: "triage" });
  });
});

describe("answeredIds", () => {
  it("puts In-Reply-To first, then References newest first, without repeats", () => {
    expect(answeredIds([id("c")], [id("a"), id("b"), id("c")])).toEqual(["c", "b", "a"]);
  });
});

describe("caseTagsOf", () => {
  const mailboxes = ["cpts@cpts-grand-douai.mssante.test"];
  it("reads tags in the subject, whatever the case and separator", () => {
    expect(caseTagsOf("Re: [CAS 7F3K] résultats [dossier:ab-12] [cas-7f3k]", [], mailboxes)).toEqual(["7F3K", "AB-12"]);
  });
  it("reads the sub-address of one of our mailboxes only", () => {
    expect(caseTagsOf("Bonjour", ["cpts+cas-9z9z@cpts-grand-douai.mssante.test", "other+xx@else.test"], mailboxes)).toEqual(["9Z9Z"]);
  });
  it("finds nothing in an ordinary subject", () => {
    expect(caseTagsOf("Compte rendu [urgent]", ["cpts@cpts-grand-douai.mssante.test"], mailboxes)).toEqual([]);
  });
});
