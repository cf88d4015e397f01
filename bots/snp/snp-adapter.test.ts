import { describe, expect, it } from "vitest";
import { ConfigError, loadBotsConfig } from "../core/config.ts";
import { parseBotOptions } from "../core/bot-runtime.ts";
import { localize } from "../core/i18n/lang.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../directory/territory.ts";
import { parsePeriod } from "../core/time/period.ts";
import { INTAKE_STEPS, type StepRead } from "./intake-steps.ts";
import { candidateNotification, caseRoomIntro } from "./render.ts";
import { normaliseCode, OUTCOME_WORDS } from "./snp-service.ts";
import { SnpOptionsSchema } from "./snp-options.ts";
import { validateDraft, type SnpDraft } from "./domain/index.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
/** Wednesday 25 November 2026, 15:00 in Paris. */
const NOW = Date.UTC(2026, 10, 25, 14, 0);

describe("stats period", () => {
  it("reads words and dates as Paris calendar days, end excluded", () => {
    expect(parsePeriod([], NOW)?.label).toBe("2026-10-29_2026-11-25");
    expect(parsePeriod(["semaine"], NOW)).toMatchObject({ from: Date.UTC(2026, 10, 22, 23, 0), label: "2026-11-23_2026-11-25" });
    expect(parsePeriod(["mois"], NOW)?.from).toBe(Date.UTC(2026, 9, 31, 23, 0));
    expect(parsePeriod(["30j"], NOW)?.label).toBe("2026-10-27_2026-11-25");
    // Summer time in Paris (UTC+2) at the start, winter time at the end.
    expect(parsePeriod(["2026-10-01", "31/10/2026"], NOW)).toMatchObject({ from: Date.UTC(2026, 8, 30, 22, 0), to: Date.UTC(2026, 9, 31, 23, 0) });
  });

  it("refuses what it cannot read", () => {
    for (const words of [["hier"], ["2026-02-30", "2026-03-01"], ["2026-11-10", "2026-11-01"], ["0j"], ["a", "b", "c"]]) expect(parsePeriod(words, NOW)).toBeUndefined();
  });
});

describe("guided intake", () => {
  function run(answers: readonly string[]): { draft: SnpDraft; problems: string[] } {
    let draft: SnpDraft = {};
    const problems: string[] = [];
    let step = 0;
    for (const answer of answers) {
      const read: StepRead = INTAKE_STEPS[step]!.read(answer, draft, territory);
      if ("problem" in read) problems.push(localize(read.problem, "fr", read.params));
      else {
        draft = read.draft;
        step++;
      }
    }
    return { draft, problems };
  }

  it("asks each field in turn and builds the same request as the one-line form", () => {
    const { draft, problems } = run(["IDE", "Sin-le-Noble", "24h", "domicile, tel", "pansement 10 j", "70+", "2", "ALD, CSS", "aucun"]);
    expect(problems).toEqual([]);
    const checked = validateDraft(draft, territory);
    expect(checked.ok && checked.request).toMatchObject({ careDelayHours: 24, modes: ["domicile", "telephone"], ageBand: "70+", eligibility: { gp: "unavailable", ald: true, css: true } });
  });

  it("explains a wrong answer and stays on the question", () => {
    const { problems, draft } = run(["plombier", "IDE", "Lille", "Douai", "-2h", "abc", "12h", "tous", "ok", "soins de nuit", "75", "70 +", "peut-être", "1", "diabète", "aucun", "dr martin"]);
    expect(problems).toEqual([
      expect.stringContaining("Je ne connais pas la profession « plombier »"),
      expect.stringContaining("« Lille » ne fait pas partie du territoire"),
      expect.stringContaining("au moins une heure"),
      expect.stringContaining("Je ne comprends pas le délai « abc »"),
      expect.stringContaining("trop court"),
      expect.stringContaining("Tranche d'âge inconnue : « 75 »"),
      expect.stringContaining("Répondez 1"),
      expect.stringContaining("Je ne comprends pas « diabete »"),
      expect.stringContaining("n'est pas un identifiant Matrix"),
    ]);
    expect(draft).toMatchObject({ profession: "IDE", commune: "Douai", careDelay: "12h", modes: [], ageBand: "70+", gp: "none" });
  });
});

describe("SNP adapter details", () => {
  it("reads request codes however they are typed", () => {
    expect(["SNP-4F7K", "snp-4f7k", "4f7k", "SNP 4F7K"].map(normaliseCode)).toEqual(Array(4).fill("SNP-4F7K"));
    expect(normaliseCode("SNP-4F7")).toBeUndefined();
    expect(OUTCOME_WORDS.get("sans objet")).toBe("no-longer-needed");
  });

  it("never names the patient in a candidate's notification: only what the requester typed as the need", () => {
    const text = candidateNotification(
      "SNP-4F7K",
      { professionWord: "IDE", communeName: "Douai", careDelayHours: 6, modes: ["domicile", "telephone"], need: "pansement", ageBand: "70+", gp: "none", criteria: ["70+"] },
      NOW,
      false,
      "fr",
    ).text;
    expect(text).toContain("IDE — Douai — sous 6 h");
    expect(text).toContain("✅ (visite à domicile) ou avec le mode choisi : 🏠 visite à domicile, 📞 conseil téléphonique");
    expect(text).toContain("mer. 25/11 15:00");
  });

  it("says 70+ once, in the age band, in the notification and the case room's introduction", () => {
    const summary = { professionWord: "IDE", communeName: "Douai", careDelayHours: 6, modes: ["domicile"], need: "pansement", ageBand: "70+", gp: "none", criteria: ["70+", "ald"] } as const;
    const notification = candidateNotification("SNP-4F7K", summary, NOW, false, "fr").text;
    const intro = caseRoomIntro("SNP-4F7K", summary, { requester: "Claire Coordination", requesterName: "Claire Coordination", acceptor: "Alice Martin", mode: "domicile" }, "fr").text;
    for (const text of [notification, intro]) {
      expect(text.match(/70\+/g)).toHaveLength(1);
      expect(text).toContain("70+ ans, sans médecin traitant, ALD");
    }
  });

  it("refuses a bad configuration naming the key", () => {
    const base = { regulators: ["@r:cpts.fr"] };
    expect(parseBotOptions(SnpOptionsSchema, base, "snp", "/etc/cpts")).toMatchObject({ responseDeadline: 7_200_000, reminderAfter: 3_600_000, waveRadiiKm: [5, 10], directChatSweep: 300_000 });
    const problems = (options: Record<string, unknown>): string => {
      try {
        parseBotOptions(SnpOptionsSchema, { ...base, ...options }, "snp", "/etc/cpts");
        return "";
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    expect(problems({ responseDeadline: "deux heures" })).toContain("bots.snp.options.responseDeadline");
    expect(problems({ reminderAfter: "3h" })).toContain("bots.snp.options.reminderAfter");
    expect(problems({ directChatSweep: "0s" })).toContain("bots.snp.options.directChatSweep");
    expect(problems({ directChatSweep: "30d" })).toMatch(/bots\.snp\.options\.directChatSweep.*at most 24h/);
    expect(problems({ directChatSweep: "24h" })).toBe("");
    expect(problems({ waveRadiiKm: [10, 5] })).toContain("bots.snp.options.waveRadiiKm");
    expect(problems({ regulators: ["bob"] })).toContain("bots.snp.options.regulators");
    expect(problems({ colour: "blue" })).toContain("colour");
    // Coordinators and territory are the `cpts` section's.
    expect(problems({ coordinators: ["@c:cpts.fr"] })).toContain("coordinators");
    expect(problems({ territoryFile: "/config/territory.json" })).toContain("territoryFile");
  });

  it("accepts the options documented in bots/config.example.yaml", () => {
    const example = loadBotsConfig(new URL("../config.example.yaml", import.meta.url).pathname);
    expect(parseBotOptions(SnpOptionsSchema, example.bots["snp"]?.options, "snp", "/etc/cpts")).toMatchObject({ responseDeadline: 7_200_000, waveTimeout: 1_200_000, directChatSweep: 300_000 });
  });
});
