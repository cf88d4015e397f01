import { describe, expect, it } from "vitest";
import { CommandError, type BaseContext } from "../../core/commands/command.ts";
import { createRouter } from "../../core/commands/router.ts";
import type { Lang } from "../../core/i18n/lang.ts";
import { openDatabase } from "../../database.ts";
import { SqliteDirectory } from "../../directory/sqlite-directory.ts";
import { testCpts } from "../../directory/test-cpts.ts";
import { createGarde } from "./index.ts";
import { GARDE_COMMAND_MESSAGES as C, GARDE_MESSAGES as P } from "./messages.ts";
import { ANNE, COORD, insertMembers, MARC } from "../../../test/helpers/garde-members.ts";

const H = 3_600_000;
/** Friday 20 November 2026, 10:00 in Paris. */
const NOW = Date.UTC(2026, 10, 20, 9);
/** Tuesday 24 November 2026, 20:00 in Paris. */
const TUESDAY_20H = Date.UTC(2026, 10, 24, 19);

function setup() {
  const db = openDatabase(":memory:");
  let now = NOW;
  const clock = { now: () => now };
  insertMembers(db, clock);
  const garde = createGarde({ db, clock, directory: new SqliteDirectory(db, clock, testCpts().territory), coordinators: [COORD], logger: { error: () => {} } });
  const run = (sender: string, action?: string, details?: string, lang: Lang = "fr") =>
    garde.command.execute({ lang, sender, roomId: "!room:cpts.test", correlationId: "c1" } satisfies BaseContext, { action, détails: details });
  const text = async (sender: string, action?: string, details?: string, lang: Lang = "fr") => (await run(sender, action, details, lang)).text;
  const refusal = async (sender: string, action?: string, details?: string) => {
    try {
      await run(sender, action, details);
    } catch (err) {
      if (err instanceof CommandError) return { text: err.humanMessage, params: err.params };
      throw err;
    }
    throw new Error("expected a refusal");
  };
  return { garde, run, text, refusal, setNow: (t: number) => (now = t) };
}

describe("!garde", () => {
  it("says nobody is on duty, with the 116 117 and the 15, when the rota is empty", async () => {
    const { text } = setup();
    const reply = await text(ANNE);
    expect(reply).toContain("Personne n'est de garde");
    expect(reply).toContain("116 117");
    expect(reply).toContain("Aucune autre garde");
    expect(await text(ANNE, "liste")).toContain("Aucune garde en cours ni à venir");
  });

  it("lets a coordinator declare a shift, and tells everyone who is on duty now and next, with name and profession", async () => {
    const { text, setNow } = setup();
    const added = await text(COORD, "ajout", `${ANNE} 24/11 20h 25/11 8h nuit`);
    expect(added).toBe("Garde n°1 enregistrée : Anne Lefèvre (Médecin — Médecine Générale, nuit), du mar. 24/11 20:00 au mer. 25/11 08:00 (12 h).");
    await text(COORD, "ajout", `${MARC} 25/11 8h 25/11 20h`);

    expect(await text(ANNE)).toBe(
      ["Personne n'est de garde en ce moment dans la CPTS. Pour un patient : le 116 117 (médecin de garde, permanence des soins) ; en cas d'urgence vitale, le 15.",
        "Prochaine garde : Anne Lefèvre (Médecin — Médecine Générale, nuit), du mar. 24/11 20:00 au mer. 25/11 08:00."].join("\n"),
    );
    setNow(TUESDAY_20H + H);
    expect(await text(MARC)).toBe(
      ["De garde maintenant :", "• Anne Lefèvre (Médecin — Médecine Générale, nuit), jusqu'à mer. 25/11 08:00", "Prochaine garde : Marc O'Neil (Infirmier), du mer. 25/11 08:00 au mer. 25/11 20:00."].join("\n"),
    );
    expect(await text(MARC, undefined, undefined, "en")).toContain("On duty now:\n• Anne Lefèvre (Médecin — Médecine Générale, nuit), until Wed 25/11, 08:00");
  });

  it("lists every overlapping on-duty professional, earliest start first, and warns the coordinator of the overlap", async () => {
    const { run, text, setNow } = setup();
    await text(COORD, "ajout", `${ANNE} 24/11 20h 25/11 8h`);
    const overlap = await run(COORD, "add", `${MARC} 24/11 22h 25/11 2h`);
    expect(overlap.text).toContain("⚠️ Elle chevauche d'autres gardes");
    expect(overlap.text).toContain("• n°1 — du mar. 24/11 20:00 au mer. 25/11 08:00 — Anne Lefèvre");
    expect(overlap.text).toContain("L'annuaire n'a pas de numéro de téléphone pour Marc O'Neil");
    expect(overlap.html).toContain("<strong>Anne Lefèvre</strong>");
    setNow(TUESDAY_20H + 3 * H);
    const now = await text(ANNE, "maintenant");
    expect(now.indexOf("Anne Lefèvre")).toBeGreaterThan(0);
    expect(now.indexOf("Marc O'Neil")).toBeGreaterThan(now.indexOf("Anne Lefèvre"));
  });

  it("warns when the account on duty is not a verified member, and tells a daylight-saving resolution", async () => {
    const { text, setNow } = setup();
    expect(await text(COORD, "ajout", "@remplacant:cpts.test demain 20h 8h")).toContain("@remplacant:cpts.test n'est pas un membre vérifié");
    setNow(Date.UTC(2026, 9, 20));
    const dst = await text(COORD, "ajout", `${ANNE} 24/10 20h 25/10 2h30`, "en");
    expect(dst).toContain("(7 h 30)");
    expect(dst).toContain("happens twice that night (clocks go back)");
  });

  it("lists the upcoming shifts with their numbers, and lets a coordinator remove one", async () => {
    const { text, refusal } = setup();
    await text(COORD, "ajout", `${ANNE} 24/11 20h 8h`);
    await text(COORD, "ajout", `${MARC} 25/11 20h 8h`);
    const list = await text(MARC, "liste");
    expect(list).toContain("• n°1 — du mar. 24/11 20:00 au mer. 25/11 08:00 — Anne Lefèvre");
    expect(list).toContain("• n°2 — du mer. 25/11 20:00 au jeu. 26/11 08:00 — Marc O'Neil (Infirmier)");
    expect(await text(COORD, "retirer", "#1")).toContain("Garde n°1 retirée : Anne Lefèvre");
    expect(await text(MARC, "list")).not.toContain("n°1");
    expect(await refusal(COORD, "retirer", "1")).toEqual({ text: C.unknownShift, params: { id: 1 } });
    expect(await refusal(COORD, "retirer", "0")).toEqual({ text: C.unknownShift, params: { id: 0 } });
    expect(await refusal(COORD, "retirer", "Anne")).toEqual({ text: C.badShiftNumber, params: { input: "Anne" } });
    expect(await refusal(COORD, "retirer")).toEqual({ text: C.missingShiftNumber, params: undefined });
  });

  it("refuses changes from anyone but a coordinator, and reading from non-members", async () => {
    const { refusal, text } = setup();
    expect(await refusal(ANNE, "ajout", `${ANNE} demain 20h 8h`)).toEqual({ text: C.coordinatorsOnly, params: undefined });
    expect(await refusal(ANNE, "retirer", "1")).toEqual({ text: C.coordinatorsOnly, params: undefined });
    expect(await refusal("@stranger:cpts.test")).toEqual({ text: C.membersOnly, params: undefined });
    expect(await text(COORD)).toContain("Personne n'est de garde");
  });

  it("explains a declaration it cannot read, an unknown action and extra words", async () => {
    const { refusal } = setup();
    expect(await refusal(COORD, "ajout", `${ANNE} 31/11 20h 8h`)).toEqual({ text: P.unknownDate, params: { input: "31/11" } });
    expect(await refusal(COORD, "ajout")).toEqual({ text: P.missingUser, params: {} });
    expect(await refusal(COORD, "qui")).toEqual({ text: C.unknownAction, params: { input: "qui" } });
    expect(await refusal(COORD, "liste", "demain")).toEqual({ text: C.unexpectedDetails, params: { action: "liste", input: "demain" } });
  });

  it("gives the SNP cascade the set of accounts on duty", async () => {
    const { garde, text } = setup();
    await text(COORD, "ajout", `${ANNE} 24/11 20h 8h`);
    await text(COORD, "ajout", `${MARC} 24/11 22h 23h`);
    expect(garde.onDutyAt(TUESDAY_20H + 2.5 * H)).toEqual(new Set([ANNE, MARC]));
    expect(garde.onDutyAt(TUESDAY_20H - 1)).toEqual(new Set());
  });

  it("is a valid command for the router, in French and in English", async () => {
    const { garde, setNow } = setup();
    setNow(NOW);
    const router = createRouter([garde.command], { botName: { fr: "SNP", en: "SNP" }, logger: { warn: () => {}, error: () => {} } });
    const ctx = { lang: "en" as const, sender: COORD, roomId: "!r:cpts.test", correlationId: "c" };
    const added = await router.route(`!oncall add ${ANNE} demain 20h 8h garde de nuit`, ctx);
    expect(added).toMatchObject({ status: "ok", reply: { text: expect.stringContaining("Shift #1 recorded: Anne Lefèvre (Médecin — Médecine Générale, garde de nuit)") } });
    const help = await router.route("!aide garde", { ...ctx, lang: "fr" });
    expect(help).toMatchObject({ status: "ok", reply: { text: expect.stringContaining("!garde [action] [détails…]") } });
  });
});
