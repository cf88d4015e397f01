// The ACI indicators of SNP on a scripted week: the requests' lives are played through the
// real store and lifecycle with a controllable clock (no sleeps), then the coordinator reads
// `!snp stats` and `!snp export` from the SNP bot on the real Synapse.
import { join } from "node:path";
import { decryptAttachment, type IEncryptedFile } from "matrix-encrypt-attachment";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../bots/core/store/database.ts";
import { type NewRequest, type PlannedWave, requestId, type SnpEvent, userId } from "../bots/snp/domain/index.ts";
import { SnpStore } from "../bots/snp/store/snp-store.ts";
import { body, createSnpWorld, type SnpWorld } from "./helpers/snp-world.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 16 November 2026, 09:00 in Paris (UTC+1): the first day of ISO week 2026-W47. */
const MONDAY = Date.UTC(2026, 10, 16, 8, 0);
const DAY = 24 * HOUR;

const nurse = userId("@ide.vidal:cpts.test");
const other = userId("@ide.morel:cpts.test");
const requester = userId("@regulation.script:cpts.test");
const waves: PlannedWave[] = [{ candidates: [nurse, other], durationMs: 20 * MINUTE }];

interface Scripted {
  readonly request: Omit<NewRequest, "requester" | "careDelayHours" | "modes">;
  readonly at: number;
  readonly events: readonly ((t0: number) => SnpEvent)[];
}

/** One week of the CPTS: accepted and done, accepted late in the day, not done, declined by all then sent to the 15, a deadline, an ineligible request; and one the week after. */
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

describe("SNP indicators", () => {
  let world: SnpWorld;
  let dm: string;

  async function ask(text: string): Promise<MatrixEvent> {
    const id = await world.coordinator.sendText(dm, text);
    return world.coordinator.waitForMessage(dm, (e) => e.getSender() === world.setup.userId && JSON.stringify(e.getContent()).includes(id));
  }

  beforeAll(async () => {
    world = await createSnpWorld([]);
    const db = openDatabase(join(world.setup.dataDir, "bots.db"));
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
    // The scripted week happened long ago: its outbox is not the bot's business today.
    db.prepare("UPDATE snp_effects SET done_at = 0").run();
    db.close();
    dm = await world.coordinator.createEncryptedDm(world.setup.userId);
    await world.coordinator.waitForJoin(dm, world.setup.userId);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("gives the coordinator the week's figures in chat", async () => {
    const text = body(await ask("!snp stats 2026-11-16 2026-11-22"));
    expect(text).toContain("Indicateurs SNP du 2026-11-16 au 2026-11-22");
    expect(text).toContain("Demandes : 6 (éligibles 5, non éligibles 1)");
    expect(text).toContain("Acceptées : 3, dont 3 dans le délai de réponse");
    expect(text).toContain("médiane 30 min, 90e centile 90 min");
    expect(text).toContain("Réalisées : 2 (sous 24 h : 1, sous 48 h : 2) ; non réalisées : 1");
    expect(text).toContain("Escalades vers la régulation : 2 (orienté vers le 15 1, en cours 1)");
    expect(text).toContain("• infirmier : 4 demande(s), 2 acceptée(s), 1 escalade(s)");
    expect(text).toContain("• masseur kinesitherapeute : 1 demande(s), 0 acceptée(s), 1 escalade(s)");
  });

  it("exports the same figures as encrypted CSV files for the funder", async () => {
    const reply = body(await ask("!snp export 2026-11-16 2026-11-22"));
    expect(reply).toContain("6 demande(s)");
    const files = world.coordinator.client
      .getRoom(dm)!
      .getLiveTimeline()
      .getEvents()
      .filter((e) => e.getSender() === world.setup.userId && e.getContent()["msgtype"] === "m.file");
    const weekly = files.find((e) => String(e.getContent()["body"]).includes("semaines"))!;
    expect(weekly.isEncrypted()).toBe(true);
    const file = weekly.getContent()["file"] as IEncryptedFile & { url: string };
    const [server, mediaId] = file.url.replace("mxc://", "").split("/");
    const response = await fetch(`${inject("synapse").baseUrl}/_matrix/client/v1/media/download/${server}/${mediaId}`, {
      headers: { authorization: `Bearer ${world.coordinator.client.getAccessToken()}` },
    });
    const csv = new TextDecoder().decode(await decryptAttachment(await response.arrayBuffer(), file));
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^Semaine;Demandes;Éligibles;Non éligibles;Acceptées;/);
    expect(lines[1]).toMatch(/^2026-W47;6;5;1;3;3;30;90;2;1;2;1;2;/);
    expect(lines.at(-1)).toMatch(/^Total;6;5;1;3;3;30;90;/);
    expect(csv).not.toContain("SNP-W007");
  });

  it("keeps the indicators for the coordinators", async () => {
    const regulatorDm = await world.regulator.createEncryptedDm(world.setup.userId);
    await world.regulator.waitForJoin(regulatorDm, world.setup.userId);
    const id = await world.regulator.sendText(regulatorDm, "!snp stats");
    const reply = await world.regulator.waitForMessage(regulatorDm, (e) => e.getSender() === world.setup.userId && JSON.stringify(e.getContent()).includes(id));
    expect(body(reply)).toContain("réservée aux coordinateurs");
  });
});
