import { describe, expect, it } from "vitest";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../../directory/territory.ts";
import { readInviteArgs, readReferralArgs, splitPeople } from "./command-args.ts";
import { CODE_ALPHABET, codeFromBytes, normaliseCode } from "./ids.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);

describe("who a command names", () => {
  it("reads ids and RPPS numbers apart from the other words", () => {
    expect(splitPeople(["plaie", "@a:cpts.test", "pied", "10001234567"])).toEqual({
      people: [{ kind: "user", userId: "@a:cpts.test" }, { kind: "rpps", rpps: "10001234567" }],
      words: ["plaie", "pied"],
    });
  });

  it("!inviter: a list of people, or one search", () => {
    expect(readInviteArgs(["@a:cpts.test", "@b:cpts.test"])).toEqual({ ok: true, targets: [{ kind: "user", userId: "@a:cpts.test" }, { kind: "user", userId: "@b:cpts.test" }] });
    expect(readInviteArgs(["kiné", "Douai"])).toEqual({ ok: true, targets: [{ kind: "search", text: "kiné Douai" }] });
    expect(readInviteArgs(["kiné", "@a:cpts.test"])).toEqual({ ok: false, problem: "mixed" });
    expect(readInviteArgs([])).toEqual({ ok: false, problem: "empty" });
  });

  it("!adresser: the professional, then the reason", () => {
    expect(readReferralArgs(["@k:cpts.test", "rééducation", "genou"], territory)).toEqual({ ok: true, target: { kind: "user", userId: "@k:cpts.test" }, reason: "rééducation genou" });
    expect(readReferralArgs(["kiné", "Douai", "rééducation", "genou"], territory)).toEqual({ ok: true, target: { kind: "search", text: "kiné Douai" }, reason: "rééducation genou" });
    expect(readReferralArgs(["Marie Curie", "bilan"], territory)).toEqual({ ok: true, target: { kind: "search", text: "Marie Curie" }, reason: "bilan" });
    expect(readReferralArgs(["Marie", "Curie:", "bilan", "mémoire"], territory)).toEqual({ ok: true, target: { kind: "search", text: "Marie Curie" }, reason: "bilan mémoire" });
    expect(readReferralArgs(["Marie", "Curie", "bilan"], territory)).toEqual({ ok: false, problem: "target-unclear" });
    expect(readReferralArgs(["kiné", "Douai"], territory)).toEqual({ ok: false, problem: "reason-missing" });
    expect(readReferralArgs([], territory)).toEqual({ ok: false, problem: "target-missing" });
  });
});

describe("codes", () => {
  it("are made of unambiguous characters and read back however typed", () => {
    const code = codeFromBytes("referral", new Uint8Array([0, 1, 2, 255]));
    expect(code).toMatch(/^AD-[A-Z2-9]{4}$/);
    expect([...code.slice(3)].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(normaliseCode("case", "c-7k3f")).toBe("C-7K3F");
    expect(normaliseCode("case", "7K3F")).toBe("C-7K3F");
    expect(normaliseCode("referral", "ad 7k3f")).toBe("AD-7K3F");
    expect(normaliseCode("case", "C-7K0F")).toBeUndefined();
    expect(normaliseCode("case", "AD-7K3F")).toBeUndefined();
  });
});
