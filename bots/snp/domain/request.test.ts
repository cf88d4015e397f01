import { describe, expect, it } from "vitest";
import { localize } from "../../core/i18n/lang.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../../directory/territory.ts";
import { parseSnpLine } from "./one-line.ts";
import { parseCareDelay, renderProblems, type SnpValidation, validateDraft } from "./request.ts";

const douai = loadTerritoryExample(GRAND_DOUAI_FILE);

function codes(result: SnpValidation): string[] {
  return result.ok ? [] : result.problems.map((p) => p.code);
}

describe("the one-line form", () => {
  it("reads the expert example of the brief", () => {
    const result = parseSnpLine('!snp IDE Douai 6h domicile "pansement 10 j, 2 passages/jour" 70+ sans-MT', douai);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request).toMatchObject({
      profession: { profession: "infirmier" },
      professionWord: "IDE",
      commune: { code: "59178", name: "Douai" },
      careDelayHours: 6,
      modes: ["domicile"],
      need: "pansement 10 j, 2 passages/jour",
      ageBand: "70+",
      eligibility: { resident: true, gp: "none", age70Plus: true, ald: false, css: false, vitalEmergency: false },
    });
    expect(result.request.usualProfessional).toBeUndefined();
  });

  it("takes arguments in any order after profession and commune, with folded accents, spaced delays, several modes and flags", () => {
    const result = parseSnpLine('!snp kiné lambres-lez-douai "renouvellement d\'ordonnance" 48 h tel,cabinet ALD 18-69 MT-indispo C2S @dr.martin:cpts.test', douai);
    expect(codes(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.request.commune.name).toBe("Lambres-lez-Douai");
    expect(result.request.careDelayHours).toBe(48);
    expect(result.request.modes).toEqual(["telephone", "cabinet"]);
    expect(result.request.eligibility).toMatchObject({ gp: "unavailable", ald: true, css: true, age70Plus: false });
    expect(result.request.usualProfessional).toBe("@dr.martin:cpts.test");
  });

  it("accepts any mode when none is named", () => {
    const result = parseSnpLine('!snp MG Férin 24h "fièvre depuis 3 jours" 3-17 sans-MT CSS', douai);
    expect(result.ok && result.request.modes).toEqual(["telephone", "teleconsultation", "cabinet", "domicile"]);
  });

  it("refuses an unknown profession with a polite bilingual message naming it", () => {
    const result = parseSnpLine('!snp plombier Douai 6h "fuite" 70+ sans-MT', douai);
    expect(codes(result)).toEqual(["professionUnknown"]);
    if (result.ok) return;
    const p = result.problems[0]!;
    expect(localize(p.text, "fr", p.params)).toContain("« plombier »");
    expect(localize(p.text, "en", p.params)).toContain('"plombier"');
  });

  it("refuses a commune outside the territory and names the territory", () => {
    const result = parseSnpLine('!snp IDE Arras 6h "pansement" 70+ sans-MT', douai);
    expect(codes(result)).toEqual(["communeOutside"]);
    if (result.ok) return;
    expect(localize(result.problems[0]!.text, "fr", result.problems[0]!.params)).toContain("CPTS Grand Douai");
  });

  it("refuses a negative or zero delay", () => {
    expect(codes(parseSnpLine('!snp IDE Douai -6h "pansement" 70+ sans-MT', douai))).toEqual(["delayNotPositive"]);
    expect(codes(parseSnpLine('!snp IDE Douai 0h "pansement" 70+ sans-MT', douai))).toEqual(["delayNotPositive"]);
  });

  it("answers garbage with every problem at once", () => {
    const result = parseSnpLine("!snp n'importe quoi", douai);
    expect(codes(result)).toEqual(["professionUnknown", "communeOutside", "delayMissing", "needMissing", "ageBandMissing", "gpStatusMissing"]);
  });

  it("names stray words instead of guessing which one is the need", () => {
    const result = parseSnpLine('!snp IDE Douai 6h "pansement au pied" zorglub 70+ sans-MT', douai);
    expect(codes(result)).toEqual(["unknownWords"]);
    if (result.ok) return;
    expect(result.problems[0]!.params.words).toBe("« zorglub »");
  });

  it("quotes back a few words of a very long message, not all of it", () => {
    const words = Array.from({ length: 700 }, (_, i) => `mot${i}`);
    const line = `!snp IDE Douai 6h "pansement au pied" 70+ sans-MT ${words.join(" ")} ${"x".repeat(300)}`;
    expect(line.length).toBeGreaterThan(5_000);
    const result = parseSnpLine(line, douai);
    expect(codes(result)).toEqual(["unknownWordsMany"]);
    if (result.ok) return;
    const answer = renderProblems(result.problems, "fr");
    expect(answer).toContain("« mot0 », « mot1 », « mot2 », « mot3 », « mot4 » et 696 autre(s) mot(s)");
    expect(answer.length).toBeLessThan(400);
    const longCommune = parseSnpLine(`!snp IDE ${"Douaiii".repeat(700)} 6h "pansement" 70+ sans-MT`, douai);
    if (longCommune.ok) throw new Error("accepted");
    expect(renderProblems(longCommune.problems, "fr").length).toBeLessThan(400);
  });

  it("reports an unclosed quote", () => {
    expect(codes(parseSnpLine('!snp IDE Douai 6h "pansement 70+ sans-MT', douai))).toEqual(["unterminatedQuote"]);
  });

  it("asks for the GP situation, which decides eligibility", () => {
    expect(codes(parseSnpLine('!snp IDE Douai 6h "pansement" 70+', douai))).toEqual(["gpStatusMissing"]);
  });
});

describe("draft validation", () => {
  const good = { profession: "IDE", commune: "SIN LE NOBLE", careDelay: "24h", need: "injection", ageBand: "18-69", gp: "none" } as const;

  it("finds communes by folded name and by postcode", () => {
    const byName = validateDraft(good, douai);
    expect(byName.ok && byName.request.commune.name).toBe("Sin-le-Noble");
    const byPostcode = validateDraft({ ...good, commune: "59169" }, douai);
    expect(byPostcode.ok).toBe(false); // 59169 is shared by several communes: ambiguous
  });

  it("bounds the need and checks the usual professional's id", () => {
    expect(codes(validateDraft({ ...good, need: "ok" }, douai))).toEqual(["needTooShort"]);
    expect(codes(validateDraft({ ...good, need: "x".repeat(301) }, douai))).toEqual(["needTooLong"]);
    expect(codes(validateDraft({ ...good, usualProfessional: "Dr Martin" }, douai))).toEqual(["usualProfessionalInvalid"]);
    expect(codes(validateDraft({ ...good, modes: ["hélico"] }, douai))).toEqual(["modeUnknown"]);
    expect(codes(validateDraft({ ...good, ageBand: "45" }, douai))).toEqual(["ageBandInvalid"]);
  });
});

describe("care delay", () => {
  it("reads hours and days, and refuses what is not a delay", () => {
    expect(parseCareDelay("6h")).toBe(6);
    expect(parseCareDelay("24 h")).toBe(24);
    expect(parseCareDelay("48 heures")).toBe(48);
    expect(parseCareDelay("2j")).toBe(48);
    expect(parseCareDelay("1,5h")).toBe(1.5);
    expect(parseCareDelay("-1h")).toMatchObject({ code: "delayNotPositive" });
    expect(parseCareDelay("0,5h")).toMatchObject({ code: "delayNotPositive" });
    expect(parseCareDelay("100h")).toMatchObject({ code: "delayTooLong", params: { max: 72 } });
    expect(parseCareDelay("demain")).toMatchObject({ code: "delayInvalid" });
  });
});
