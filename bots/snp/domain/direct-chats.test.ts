import { describe, expect, it } from "vitest";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../../directory/territory.ts";
import { type Candidate, exclusionReason } from "./candidates.ts";
import { directChatsToOpen, mayBeAskedLater, type WelcomeStatus } from "./direct-chats.ts";
import { parsePracticeHours, type PracticeHours } from "./hours.ts";
import { userId } from "./ids.ts";

const douai = loadTerritoryExample(GRAND_DOUAI_FILE).communes.find((c) => c.name === "Douai")!;
/** Monday 3 March 2025, 22:00 in Paris: every practice below is closed. */
const MONDAY_22H = Date.UTC(2025, 2, 3, 21, 0);
const dayHours = ((): PracticeHours => {
  const parsed = parsePracticeHours("lun-ven 8-19");
  if (!parsed.ok) throw new Error("bad hours");
  return parsed.hours;
})();

function member(name: string, extra: Partial<Candidate> = {}): Candidate {
  return {
    userId: userId(`@${name}:cpts.test`),
    profession: "infirmier",
    commune: douai,
    inPool: true,
    onDuty: false,
    dispo: true,
    recentLoad: 0,
    alreadyNotified: false,
    member: true,
    ...extra,
  };
}

const PEOPLE = [
  member("ide"),
  member("mg", { profession: "medecin", specialty: "medecine generale" }),
  member("closed-now", { hours: dayHours }),
  member("busy", { recentLoad: 12, alreadyNotified: true }),
  member("not-in-pool", { inPool: false }),
  member("on-rota-only", { inPool: false, onDuty: true }),
  member("dispo-off", { dispo: false }),
  member("left", { member: false }),
];
const names = (list: readonly { userId: string }[]): string[] => list.map((c) => c.userId.slice(1, c.userId.indexOf(":")));

describe("direct chats opened ahead of requests", () => {
  it("opens one with each member of the SNP pool who did not say !dispo off, whatever their profession, hours or load", () => {
    expect(names(directChatsToOpen(PEOPLE, new Map()))).toEqual(["busy", "closed-now", "ide", "mg"]);
  });

  it("never with someone outside the pool, even on the garde rota, nor with a former member", () => {
    const chosen = names(directChatsToOpen(PEOPLE, new Map()));
    for (const name of ["not-in-pool", "on-rota-only", "dispo-off", "left"]) expect(chosen).not.toContain(name);
  });

  it("opens each once: a welcome sent, or a chat that already existed, is not opened again; an interrupted one is finished first", () => {
    const welcomes = new Map<string, WelcomeStatus>([
      ["@ide:cpts.test", "sent"],
      ["@mg:cpts.test", "existing"],
      ["@closed-now:cpts.test", "pending"],
    ]);
    expect(directChatsToOpen(PEOPLE, welcomes)).toEqual([
      { userId: "@closed-now:cpts.test", resume: true },
      { userId: "@busy:cpts.test", resume: false },
    ]);
  });

  it("does not finish an interrupted welcome for someone who has left the pool since", () => {
    expect(directChatsToOpen([member("gone", { inPool: false })], new Map([["@gone:cpts.test", "pending" as const]]))).toEqual([]);
  });

  it("covers everyone the cascade could ask for a request of their profession", () => {
    for (const candidate of PEOPLE) {
      const profession = { profession: candidate.profession, ...(candidate.specialty ? { specialty: candidate.specialty } : {}) };
      const reason = exclusionReason({ ...candidate, alreadyNotified: false }, profession, MONDAY_22H);
      // Closed at night is still asked in the morning: only the other reasons mean never.
      if (reason === undefined || reason === "closed-now") expect(mayBeAskedLater(candidate), candidate.userId).toBe(true);
      else expect(mayBeAskedLater(candidate), candidate.userId).toBe(false);
    }
  });
});
