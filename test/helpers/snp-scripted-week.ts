// One scripted SNP week, played through the real store and lifecycle with a controllable
// clock: for the indicators tests (chat and console).
import type { Db } from "../../bots/core/store/database.ts";
import { requestId, userId, type NewRequest, type PlannedWave, type SnpEvent } from "../../bots/snp/domain/index.ts";
import { SnpStore } from "../../bots/snp/store/snp-store.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 16 November 2026, 09:00 in Paris (UTC+1): the first day of ISO week 2026-W47. */
export const MONDAY = Date.UTC(2026, 10, 16, 8, 0);

const nurse = userId("@ide.vidal:cpts.test");
const other = userId("@ide.morel:cpts.test");
const requester = userId("@regulation.script:cpts.test");
const waves: PlannedWave[] = [{ candidates: [nurse, other], durationMs: 20 * MINUTE }];

interface Scripted {
  readonly request: Omit<NewRequest, "requester" | "careDelayHours" | "modes">;
  readonly at: number;
  readonly events: readonly ((t0: number) => SnpEvent)[];
}

/**
 * W47: accepted after 30 min and done; accepted after 90 min and done in 31 h; accepted after
 * 10 min and not done; declined by all then sent to the 15; past the deadline; ineligible.
 * W48: one request just dispatched.
 */
const WEEK: readonly Scripted[] = [
  { request: { id: requestId("SNP-W001"), profession: "infirmier", eligible: true }, at: MONDAY, events: [(t) => ({ type: "dispatch", at: t, waves }), (t) => ({ type: "accept", at: t + 30 * MINUTE, by: nurse, mode: "domicile" }), (t) => ({ type: "done", at: t + 5 * HOUR, by: nurse })] },
  { request: { id: requestId("SNP-W002"), profession: "infirmier", eligible: true }, at: MONDAY + DAY + HOUR, events: [(t) => ({ type: "dispatch", at: t, waves }), (t) => ({ type: "accept", at: t + 90 * MINUTE, by: other, mode: "domicile" }), (t) => ({ type: "done", at: t + 30 * HOUR, by: other })] },
  { request: { id: requestId("SNP-W003"), profession: "medecin (medecine generale)", eligible: true }, at: MONDAY + 2 * DAY, events: [(t) => ({ type: "dispatch", at: t, waves }), (t) => ({ type: "accept", at: t + 10 * MINUTE, by: nurse, mode: "domicile" }), (t) => ({ type: "not-done", at: t + 3 * HOUR, by: nurse, reason: "patient absent" })] },
  {
    request: { id: requestId("SNP-W004"), profession: "masseur kinesitherapeute", eligible: true },
    at: MONDAY + 3 * DAY,
    events: [
      (t) => ({ type: "dispatch", at: t, waves }),
      (t) => ({ type: "decline", at: t + 5 * MINUTE, by: nurse }),
      (t) => ({ type: "decline", at: t + 6 * MINUTE, by: other }),
      (t) => ({ type: "claim-callback", at: t + 20 * MINUTE, by: requester }),
      (t) => ({ type: "close-callback", at: t + 40 * MINUTE, by: requester, outcome: "samu-15" }),
    ],
  },
  { request: { id: requestId("SNP-W005"), profession: "infirmier", eligible: true }, at: MONDAY + 4 * DAY, events: [(t) => ({ type: "dispatch", at: t, waves }), (t) => ({ type: "reminder-due", at: t + HOUR }), (t) => ({ type: "deadline", at: t + 2 * HOUR })] },
  { request: { id: requestId("SNP-W006"), profession: "infirmier", eligible: false }, at: MONDAY + 5 * DAY, events: [] },
  { request: { id: requestId("SNP-W007"), profession: "infirmier", eligible: true }, at: MONDAY + 7 * DAY + HOUR, events: [(t) => ({ type: "dispatch", at: t, waves })] },
];

/** Writes the week into the SNP tables; its outbox is marked done (it happened long ago). */
export function playScriptedWeek(db: Db): void {
  let now = 0;
  const store = new SnpStore(db, { now: () => now });
  for (const scripted of WEEK) {
    now = scripted.at;
    store.open({ ...scripted.request, requester, careDelayHours: 6, modes: ["domicile"] });
    for (const event of scripted.events) {
      const e = event(scripted.at);
      now = e.at;
      store.apply(scripted.request.id, e);
    }
  }
  db.prepare("UPDATE snp_effects SET done_at = 0").run();
}
