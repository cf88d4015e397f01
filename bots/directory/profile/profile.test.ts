import { describe, expect, it } from "vitest";
import { insertPeople } from "../../../test/helpers/directory-rows.ts";
import { CommandError, type BaseContext } from "../../core/commands/command.ts";
import { openDatabase } from "../../database.ts";
import { Membership } from "../membership.ts";
import { fieldNamed } from "./profile-fields.ts";
import { ProfileFlow } from "./profile-flow.ts";
import { GUIDE_TIMEOUT_MS, GuideSessions, Profiles } from "./profile-store.ts";

describe("profile fields", () => {
  const parse = (field: string, input: string) => fieldNamed(field)!.parse(input);

  it("reads languages, equipment and care modes from their vocabularies, phrases included", () => {
    expect(parse("langues", "Anglais, espagnol et langue des signes")).toEqual({ ok: true, value: ["en", "es", "fsl"] });
    expect(parse("equipements", "ECG; échographe")).toEqual({ ok: true, value: ["ecg", "echographe"] });
    expect(parse("modes", "cabinet et domicile")).toEqual({ ok: true, value: ["cabinet", "domicile"] });
  });

  it("says which words it did not understand, and what is possible", () => {
    const result = parse("langues", "anglais, klingon");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.params?.["words"]).toBe("klingon");
  });

  it("keeps free skills, without duplicates, within limits; 'aucun' clears", () => {
    expect(parse("competences", "Plaies chroniques, diabète, plaies CHRONIQUES")).toEqual({ ok: true, value: ["Plaies chroniques", "diabète"] });
    expect(parse("competences", "aucune")).toEqual({ ok: true, value: [] });
    expect(parse("competences", "x".repeat(41)).ok).toBe(false);
    expect(parse("competences", Array.from({ length: 21 }, (_, i) => `c${i}`).join(",")).ok).toBe(false);
  });

  it("answers yes/no questions with oui or non only", () => {
    expect(parse("snp", "Oui")).toEqual({ ok: true, value: true });
    expect(parse("nouveaux-patients", "non")).toEqual({ ok: true, value: false });
    expect(parse("snp", "peut-être").ok).toBe(false);
    expect(fieldNamed("Nouveaux patients")?.key).toBe("newPatients");
  });
});

function setup() {
  const db = openDatabase(":memory:");
  insertPeople(db, [
    { rpps: "10001234567", lastName: "Lefèvre", firstName: "Anne", profession: "Médecin", skills: ["Médecine Générale"], commune: "Douai" },
    { rpps: "10007654321", lastName: "O'Neil", firstName: "Marc", profession: "Infirmier", commune: "Sin-le-Noble" },
  ]);
  let now = 1_000;
  const clock = { now: () => now };
  const membership = new Membership(db, clock);
  for (const [userId, rpps] of [["@anne:cpts.test", "10001234567"], ["@marc:cpts.test", "10007654321"]] as const) {
    membership.approve(membership.openRequest(userId, membership.findByRpps(rpps)!.nationalId, true).id, "@coord:cpts.test");
  }
  const changes: string[] = [];
  const flow = new ProfileFlow(membership, new Profiles(db, clock), new GuideSessions(db, clock), (member) => changes.push(member.userId));
  const ctx = (sender: string): BaseContext => ({ lang: "fr", sender, roomId: "!dm:cpts.test", correlationId: "c" });
  const run = (sender: string, champ?: string, valeur?: string) => flow.command().execute(ctx(sender), { champ, valeur });
  return { flow, ctx, run, changes, advance: (ms: number) => (now += ms) };
}

describe("!profil", () => {
  it("shows the national data and what the member added, apart", async () => {
    const { run, changes } = setup();
    await run("@anne:cpts.test", "langues", "anglais");
    expect(changes).toEqual(["@anne:cpts.test"]);
    const card = (await run("@anne:cpts.test")).text;
    expect(card).toContain("RPPS 10001234567");
    expect(card).toContain("Anne Lefèvre — Médecin (Médecine Générale) — Douai");
    expect(card).toContain("Langues parlées : en");
    expect(card).toContain("Nouveaux patients (médecin traitant) : non renseigné");
  });

  it("refuses non-members and explains bad fields and values", async () => {
    const { run } = setup();
    await expect(Promise.resolve().then(() => run("@stranger:cpts.test"))).rejects.toBeInstanceOf(CommandError);
    await expect(Promise.resolve().then(() => run("@anne:cpts.test", "couleur", "bleu"))).rejects.toBeInstanceOf(CommandError);
    await expect(Promise.resolve().then(() => run("@anne:cpts.test", "langues"))).rejects.toBeInstanceOf(CommandError);
    await expect(Promise.resolve().then(() => run("@anne:cpts.test", "snp", "bof"))).rejects.toBeInstanceOf(CommandError);
  });

  it("guides a member question by question: skip, a wrong answer re-asked, stop", async () => {
    const { flow, ctx, run } = setup();
    const start = (await run("@marc:cpts.test", "guide")).text;
    expect(start).toContain("compétences");
    expect(flow.isOpen("@marc:cpts.test", "!dm:cpts.test")).toBe(true);
    expect((await flow.answer(ctx("@marc:cpts.test"), "plaies, diabète")).text).toContain("langues");
    expect((await flow.answer(ctx("@marc:cpts.test"), "passer")).text).toContain("équipements");
    expect((await flow.answer(ctx("@marc:cpts.test"), "télescope")).text).toContain("Je n'ai pas compris : telescope");
    expect((await flow.answer(ctx("@marc:cpts.test"), "ECG")).text).toContain("Comment prenez-vous en charge");
    expect((await flow.answer(ctx("@marc:cpts.test"), "domicile")).text).toContain("soins non programmés");
    expect((await flow.answer(ctx("@marc:cpts.test"), "fin")).text).toContain("on s'arrête là");
    expect(flow.isOpen("@marc:cpts.test", "!dm:cpts.test")).toBe(false);
    const card = (await run("@marc:cpts.test")).text;
    expect(card).toContain("Compétences : plaies, diabète");
    expect(card).toContain("Équipements : ecg");
    expect(card).not.toContain("Nouveaux patients");
  });

  it("asks GPs about new patients, ends with the card, and forgets a session left unanswered", async () => {
    const { flow, ctx, run, advance } = setup();
    await run("@anne:cpts.test", "guide");
    for (const answer of ["passer", "passer", "passer", "passer"]) await flow.answer(ctx("@anne:cpts.test"), answer);
    expect((await flow.answer(ctx("@anne:cpts.test"), "oui")).text).toContain("soins non programmés");
    await flow.answer(ctx("@anne:cpts.test"), "oui");
    expect((await flow.answer(ctx("@anne:cpts.test"), "lun–ven 8h–19h")).text).toContain("Horaires : lun–ven 8h–19h");
    expect(flow.isOpen("@anne:cpts.test", "!dm:cpts.test")).toBe(false);
    await run("@anne:cpts.test", "guide");
    advance(GUIDE_TIMEOUT_MS + 1);
    expect(flow.isOpen("@anne:cpts.test", "!dm:cpts.test")).toBe(false);
  });
});
