// The ACI indicators of SNP on a scripted week (test/helpers/snp-scripted-week.ts: the
// requests' lives played through the real store and lifecycle with a controllable clock, no
// sleeps), then the coordinator reads `!snp stats` and `!snp export` on the real Synapse.
import { join } from "node:path";
import { decryptAttachment, type IEncryptedFile } from "matrix-encrypt-attachment";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { playScriptedWeek } from "./helpers/snp-scripted-week.ts";
import { body, createSnpWorld, type SnpWorld } from "./helpers/snp-world.ts";

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
    playScriptedWeek(db);
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
