import { describe, expect, it } from "vitest";
import { openDatabase } from "../database.ts";
import { SnpStore } from "../snp/store/snp-store.ts";
import { indicatorsView } from "./indicators-data.ts";
import { selectPeriod } from "./period.ts";
import { MONDAY, playScriptedWeek } from "../../test/helpers/snp-scripted-week.ts";

const DAY = 86_400_000;

describe("indicatorsView", () => {
  const db = openDatabase(":memory:");
  playScriptedWeek(db);
  const selection = selectPeriod({ periode: "dates", du: "2026-11-09", au: "2026-11-22" }, MONDAY + 30 * DAY);
  if (!selection.ok) throw new Error(selection.problem);
  const { period } = selection;
  const records = new SnpStore(db, { now: () => 0 }).createdBetween(period.from, period.to);
  const view = indicatorsView({
    records,
    period,
    verificationTimes: [MONDAY - 20 * DAY, MONDAY - 2 * DAY, MONDAY + 2 * DAY, MONDAY + 3 * DAY],
    care: { referrals: undefined, teleexpertise: 4, videoMeetings: 1 },
  });

  it("gives the same totals as !snp stats", () => {
    expect(view.totals).toMatchObject({ requests: 6, eligible: 5, accepted: 3, acceptedWithinDeadline: 3, medianMinutesToAccept: 30 });
    expect(view.withinDeadlineRate).toBeCloseTo(3 / 5, 10);
    expect(view.membersNow).toBe(4);
    expect(view.care).toEqual({ referrals: undefined, teleexpertise: 4, videoMeetings: 1 });
  });

  it("counts the requests of every week of the period, empty weeks included", () => {
    expect(view.requestsPerWeek.categories).toEqual(["2026-W46", "2026-W47"]);
    expect(view.requestsPerWeek.axisLabels).toEqual(["S46", "S47"]);
    expect(view.requestsPerWeek.series[0]!.values).toEqual([0, 6]);
    expect(view.requestsPerWeek.description).toBe("6 demandes du 2026-11-09 au 2026-11-22, sur 2 semaines ; la semaine la plus chargée est 2026-W47.");
  });

  it("splits eligible requests into accepted within the deadline, after it, and not accepted", () => {
    expect(view.acceptancePerWeek.series.map((s) => [s.name, s.values])).toEqual([
      ["Dans le délai", [0, 3]],
      ["Après le délai", [0, 0]],
      ["Non acceptées", [0, 2]],
    ]);
  });

  it("spreads the times to acceptance over ranges from dispatch", () => {
    expect(view.timeToAccept.categories).toEqual(["moins de 15 min", "15 à 30 min", "30 min à 1 h", "1 h à 2 h", "2 h et plus"]);
    expect(view.timeToAccept.series[0]!.values).toEqual([1, 0, 1, 1, 0]);
  });

  it("gives requests by profession and members verified by the end of each week", () => {
    expect(view.byProfession.categories).toEqual(["infirmier", "masseur kinesitherapeute", "medecin (medecine generale)"]);
    expect(view.byProfession.series.map((s) => s.values)).toEqual([[2, 0, 1], [2, 1, 0]]);
    expect(view.membersOverTime.series[0]!.values).toEqual([2, 4]);
  });
});
