// End-to-end `!annuaire` in an encrypted DM with the directory bot on a real Synapse: p50 /
// p95 over varied searches, next to `!ping` on the same bot in the same run (the chat
// round trip without any search). The directory is the demo's, loaded by the real import.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { MatrixEvent } from "matrix-js-sdk";
import { openDatabase } from "../bots/database.ts";
import { importDirectory } from "../bots/directory/import/import-directory.ts";
import { Membership } from "../bots/directory/membership.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../bots/directory/territory.ts";
import { DEMO_PROFESSIONALS, writeDemoExtract } from "../scripts/demo/demo-directory.ts";
import { prepareBot, startBotProcess } from "../test/helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "../test/helpers/element-client.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, summary } from "./lib.ts";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 100);
const QUERIES = ["kiné Douai domicile", "IDE Sin-le-Noble", "médecin généraliste", "cardiologue ECG", "sage-femme qui parle anglais", "pharmacie Waziers", "Lefèvre", "infirmière Auby", "MG Cuincy", "kiné"];

const replyTo = (id: string) => (e: MatrixEvent) => JSON.stringify(e.getContent()).includes(id);

async function roundTrip(client: ElementClient, roomId: string, botUserId: string, body: string): Promise<number> {
  const started = performance.now();
  const id = await client.sendText(roomId, body);
  await client.waitForMessage(roomId, (e) => e.getSender() === botUserId && replyTo(id)(e));
  return performance.now() - started;
}

const synapse = await benchSynapse();
try {
  const coordinator = await createTestUser("coordination", {}, synapse);
  const gpUser = await createTestUser("mg", { displayName: "Dr Julien Dupont" }, synapse);
  const setup = await prepareBot({ botId: "annuaire", acceptFrom: "local-users", cpts: { coordinators: [coordinator.userId] } }, synapse);
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  await importDirectory(db, writeDemoExtract(mkdtempSync(join(tmpdir(), "demo-extract-"))), loadTerritoryExample(GRAND_DOUAI_FILE));
  const membership = new Membership(db, { now: () => Date.now() });
  const dupont = membership.findByRpps(DEMO_PROFESSIONALS[0]!.rpps)!;
  membership.approve(membership.openRequest(gpUser.userId, dupont.nationalId, true).id, coordinator.userId);
  db.close();

  const bot = await startBotProcess(setup);
  const gp = await createElementClient(gpUser, synapse.baseUrl);
  const roomId = await gp.createEncryptedDm(setup.userId);
  await gp.waitForJoin(roomId, setup.userId);
  for (let i = 0; i < 5; i++) await roundTrip(gp, roomId, setup.userId, "!ping-warmup");
  const searchMs: number[] = [];
  const pingMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    searchMs.push(await roundTrip(gp, roomId, setup.userId, `!annuaire ${QUERIES[i % QUERIES.length]}`));
    pingMs.push(await roundTrip(gp, roomId, setup.userId, "!aide langue"));
  }
  const search = summary(searchMs);
  const baseline = summary(pingMs);
  console.log(
    JSON.stringify(
      {
        benchmark: "!annuaire end to end (encrypted DM, real Synapse)",
        rounds: ROUNDS,
        annuaireMs: search,
        sameBotHelpCommandMs: baseline,
        ratioP50: Math.round((search.p50 / baseline.p50) * 100) / 100,
        ratioP95: Math.round((search.p95 / baseline.p95) * 100) / 100,
      },
      null,
      2,
    ),
  );
  await gp.stop();
  await bot.stop();
} finally {
  await synapse.cleanup();
}
process.exit(0);
