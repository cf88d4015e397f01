import { describe, expect, it } from "vitest";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../../directory/territory.ts";
import { type Candidate, planCascade, toPlannedWaves } from "./candidates.ts";
import { isOpenAt, parsePracticeHours, type PracticeHours } from "./hours.ts";
import { type UserId, userId } from "./ids.ts";

const douai = loadTerritoryExample(GRAND_DOUAI_FILE);
const commune = (name: string) => douai.communes.find((c) => c.name === name)!;
/** Monday 3 March 2025, 10:00 in Paris (UTC+1). */
const MONDAY_10H = Date.UTC(2025, 2, 3, 9, 0);
const hours = (text: string): PracticeHours => {
  const parsed = parsePracticeHours(text);
  if (!parsed.ok) throw new Error(`bad hours ${text}`);
  return parsed.hours;
};

function nurse(name: string, place: string, extra: Partial<Candidate> = {}): Candidate {
  return {
    userId: userId(`@${name}:cpts.test`),
    profession: "infirmier",
    commune: commune(place),
    inPool: true,
    onDuty: false,
    dispo: true,
    hours: hours("lun-ven 8-19, sam 8-12"),
    recentLoad: 0,
    alreadyNotified: false,
    member: true,
    ...extra,
  };
}
const request = { profession: { profession: "infirmier" }, commune: commune("Douai") };
const ids = (...names: string[]): UserId[] => names.map((n) => userId(`@${n}:cpts.test`));
const config = { usualFirstMs: 15 * 60_000, waveTimeoutMs: 30 * 60_000, radiiKm: [5, 10] };

describe("practice hours", () => {
  it("parses days, ranges and several time slots, and refuses nonsense", () => {
    expect(parsePracticeHours("lun mer 8h30-12h30 14-19; sam 9-12")).toEqual({
      ok: true,
      hours: [
        { days: [0, 2], from: 510, to: 750 },
        { days: [0, 2], from: 840, to: 1140 },
        { days: [5], from: 540, to: 720 },
      ],
    });
    for (const bad of ["", "lun", "8-19", "lundi 8-19", "ven-lun 8-19", "lun 19-8", "lun 8h75-9"]) {
      expect(parsePracticeHours(bad).ok, bad).toBe(false);
    }
  });

  it("reads opening in Paris time, summer time included", () => {
    const h = hours("lun-ven 8-19, sam 8-12");
    expect(isOpenAt(h, MONDAY_10H)).toBe(true);
    expect(isOpenAt(h, Date.UTC(2025, 2, 3, 6, 30))).toBe(false); // 07:30 Paris
    expect(isOpenAt(h, Date.UTC(2025, 2, 8, 11, 30))).toBe(false); // Saturday 12:30 Paris
    expect(isOpenAt(h, Date.UTC(2025, 6, 7, 16, 30))).toBe(true); // Monday 18:30 Paris (UTC+2)
    expect(isOpenAt(h, Date.UTC(2025, 6, 7, 17, 30))).toBe(false); // Monday 19:30 Paris
  });
});

describe("the cascade", () => {
  it("asks the usual professional alone first, then widens by distance", () => {
    const plan = planCascade(
      [nurse("near", "Douai"), nurse("usual", "Arleux"), nurse("mid", "Auby"), nurse("far", "Lécluse"), nurse("sin", "Sin-le-Noble")],
      { ...request, usualProfessional: userId("@usual:cpts.test") },
      MONDAY_10H,
      config,
    );
    expect(plan.waves.map((w) => [w.kind, w.minKm, w.maxKm, w.durationMs, w.candidates.map((c) => c.userId)])).toEqual([
      ["usual", 0, null, 15 * 60_000, ids("usual")],
      ["distance", 0, 5, 30 * 60_000, ids("near", "sin")],
      ["distance", 5, 10, 30 * 60_000, ids("mid")],
      ["distance", 10, null, 30 * 60_000, ids("far")],
    ]);
    expect(toPlannedWaves(plan)[0]).toEqual({ candidates: ids("usual"), durationMs: 15 * 60_000 });
  });

  it("skips the usual wave when the usual professional cannot be asked", () => {
    const plan = planCascade([nurse("near", "Douai"), nurse("usual", "Douai", { dispo: false })], { ...request, usualProfessional: userId("@usual:cpts.test") }, MONDAY_10H, config);
    expect(plan.waves.map((w) => w.kind)).toEqual(["distance"]);
  });

  it("puts the least loaded first within a wave, then the one who accepted longest ago", () => {
    const plan = planCascade(
      [
        nurse("busy", "Douai", { recentLoad: 3 }),
        nurse("recent", "Douai", { recentLoad: 1, lastAcceptedAt: MONDAY_10H - 3_600_000 }),
        nurse("older", "Douai", { recentLoad: 1, lastAcceptedAt: MONDAY_10H - 86_400_000 }),
        nurse("idle", "Sin-le-Noble"),
      ],
      request,
      MONDAY_10H,
      config,
    );
    expect(plan.waves[0]!.candidates.map((c) => c.userId)).toEqual(ids("idle", "older", "recent", "busy"));
  });

  it("excludes whoever cannot be asked now, and says why", () => {
    const plan = planCascade(
      [
        nurse("ok", "Douai"),
        nurse("closed", "Douai", { hours: hours("sam 8-12") }),
        nurse("guard", "Douai", { hours: hours("sam 8-12"), onDuty: true }),
        nurse("off", "Douai", { dispo: false }),
        nurse("left", "Douai", { member: false }),
        nurse("outside-pool", "Douai", { inPool: false }),
        nurse("asked", "Douai", { alreadyNotified: true }),
        { ...nurse("gp", "Douai"), profession: "medecin" },
      ],
      request,
      MONDAY_10H,
      config,
    );
    expect(plan.waves.flatMap((w) => w.candidates.map((c) => c.userId))).toEqual(ids("guard", "ok"));
    expect(plan.excluded).toEqual([
      { userId: "@closed:cpts.test", reason: "closed-now" },
      { userId: "@off:cpts.test", reason: "dispo-off" },
      { userId: "@left:cpts.test", reason: "not-member" },
      { userId: "@outside-pool:cpts.test", reason: "not-in-pool" },
      { userId: "@asked:cpts.test", reason: "already-notified" },
      { userId: "@gp:cpts.test", reason: "other-profession" },
    ]);
  });

  it("matches the specialty when the request names one", () => {
    const gp = { ...nurse("gp", "Douai"), profession: "medecin", specialty: "medecine generale" };
    const cardio = { ...nurse("cardio", "Douai"), profession: "medecin", specialty: "cardiologie" };
    const plan = planCascade([gp, cardio], { ...request, profession: { profession: "medecin", specialty: "medecine generale" } }, MONDAY_10H, config);
    expect(plan.waves.flatMap((w) => w.candidates.map((c) => c.userId))).toEqual(ids("gp"));
  });
});
