// The members the bots talk to, as full Element-like clients (Rust crypto, cross-signed
// sessions, "only signed devices"), each with its bot as a real process: searchers in DM with
// the directory bot, a GP and a care team with the care bot. The SNP world is bench/snp-lib.ts's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../bots/database.ts";
import { VerifiedMembers } from "../../bots/core/store/verified-members.ts";
import { importDirectory } from "../../bots/directory/import/import-directory.ts";
import { Membership } from "../../bots/directory/membership.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../../bots/directory/territory.ts";
import type { RunningSynapse } from "../../scripts/lib/synapse.ts";
import { invitationsFrom } from "../lib.ts";
import { DEMO_PROFESSIONALS, writeDemoExtract } from "../../scripts/demo/demo-directory.ts";
import { prepareBot, spawnBot, waitReady, type BotProcess, type BotSetup } from "../../test/helpers/bot-process.ts";
import { insertPeople } from "../../test/helpers/directory-rows.ts";
import { createElementClient, type ElementClient } from "../../test/helpers/element-client.ts";
import { isReplyTo } from "../../test/helpers/replies.ts";
import { autoJoin } from "../../test/helpers/snp-world.ts";
import { createTestUser, type TestUser } from "../../test/helpers/users.ts";

type BenchSynapse = RunningSynapse & { policyRegistryDir: string };

const ANSWER_TIMEOUT_MS = 120_000;
/** A bot's start on a machine shared with other runs can pass bot-process.ts's 60 s. */
export const BOT_READY_TIMEOUT_MS = 240_000;

async function startBot(setup: BotSetup): Promise<BotProcess> {
  const bot = spawnBot(setup);
  await waitReady(setup, bot, BOT_READY_TIMEOUT_MS);
  return bot;
}
/** What members type (bench/annuaire-round-trip.ts's searches). */
const SEARCHES = ["kiné Douai domicile", "IDE Sin-le-Noble", "médecin généraliste", "cardiologue ECG", "sage-femme qui parle anglais", "pharmacie Waziers", "Lefèvre", "infirmière Auby", "MG Cuincy", "kiné"];

export interface DirectoryWorld {
  readonly setup: BotSetup;
  readonly bot: BotProcess;
  readonly clients: readonly ElementClient[];
  /** `!annuaire <search>` from one searcher → the decrypted answer; resolves with the round trip in ms. */
  search(random: () => number): Promise<number>;
}

export async function createDirectoryWorld(synapse: BenchSynapse, searchers: number): Promise<DirectoryWorld> {
  if (searchers > DEMO_PROFESSIONALS.length) throw new Error(`at most ${DEMO_PROFESSIONALS.length} searchers (one per demo professional)`);
  const coordinator = await createTestUser("coordination", {}, synapse);
  const users: TestUser[] = [];
  for (let i = 0; i < searchers; i++) users.push(await createTestUser("chercheur", { displayName: DEMO_PROFESSIONALS[i]!.lastName }, synapse));
  const setup = await prepareBot({ botId: "annuaire", acceptFrom: "local-users", cpts: { coordinators: [coordinator.userId] } }, synapse);
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  await importDirectory(db, writeDemoExtract(mkdtempSync(join(tmpdir(), "demo-extract-"))), loadTerritoryExample(GRAND_DOUAI_FILE));
  const membership = new Membership(db, { now: () => Date.now() });
  users.forEach((user, i) => {
    const person = membership.findByRpps(DEMO_PROFESSIONALS[i]!.rpps)!;
    membership.approve(membership.openRequest(user.userId, person.nationalId, true).id, coordinator.userId);
  });
  db.close();
  const bot = await startBot(setup);
  const clients: ElementClient[] = [];
  const dms: string[] = [];
  for (const user of users) {
    const client = await createElementClient(user, synapse.baseUrl);
    clients.push(client);
    const dm = await client.createEncryptedDm(setup.userId);
    await client.waitForJoin(dm, setup.userId);
    dms.push(dm);
  }
  return {
    setup,
    bot,
    clients,
    async search(random) {
      const i = Math.floor(random() * clients.length);
      const client = clients[i]!;
      const started = performance.now();
      const id = await client.sendText(dms[i]!, `!annuaire ${SEARCHES[Math.floor(random() * SEARCHES.length)]}`);
      await client.waitForMessage(dms[i]!, (e) => e.getSender() === setup.userId && isReplyTo(id)(e), ANSWER_TIMEOUT_MS);
      return performance.now() - started;
    },
  };
}

export interface CareWorld {
  readonly setup: BotSetup;
  readonly bot: BotProcess;
  readonly clients: readonly ElementClient[];
  /** `!patient` with the team → every member holds the invitation; resolves with that time in ms. One at a time. */
  openCaseRoom(): Promise<number>;
  /** A team member writes in one of the case rooms they joined (false when none yet). */
  postCaseMessage(random: () => number): Promise<boolean>;
}


export async function createCareWorld(synapse: BenchSynapse, teamSize: number): Promise<CareWorld> {
  const creatorUser = await createTestUser("mg", { displayName: "Médecin traitant" }, synapse);
  const memberUsers: TestUser[] = [];
  for (let i = 0; i < teamSize; i++) memberUsers.push(await createTestUser("soignant", { displayName: `Soignant ${i + 1}` }, synapse));
  const setup = await prepareBot({ botId: "equipes", acceptFrom: "local-users", cpts: { coordinators: [creatorUser.userId] } }, synapse);
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  const verified = new VerifiedMembers(db, { now: () => Date.now() });
  const link = db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'bench')");
  const firstRpps = 40_000_000_000 + (Date.now() % 1_000_000) * 1_000;
  [creatorUser, ...memberUsers].forEach((user, i) => {
    const rpps = String(firstRpps + i);
    insertPeople(db, [{ rpps, firstName: "Soignant", lastName: String(i), profession: "Infirmier", commune: "Douai", communeCode: "59178" }]);
    link.run(user.userId, `8${rpps}`);
    verified.markVerified(user.userId, "bench");
  });
  db.close();
  const bot = await startBot(setup);
  const creator = await createElementClient(creatorUser, synapse.baseUrl);
  const members: ElementClient[] = [];
  for (const user of memberUsers) members.push(await createElementClient(user, synapse.baseUrl));
  for (const client of [creator, ...members]) autoJoin(client, setup.userId);
  const dm = await creator.createEncryptedDm(setup.userId);
  await creator.waitForJoin(dm, setup.userId);
  const memberIds = members.map((m) => m.userId).join(" ");
  let queue: Promise<unknown> = Promise.resolve();
  return {
    setup,
    bot,
    clients: [creator, ...members],
    openCaseRoom() {
      const run = queue.then(async () => {
        const invited = invitationsFrom(members, setup.userId, ANSWER_TIMEOUT_MS);
        const started = performance.now();
        await creator.sendText(dm, `!patient suivi plaie ${memberIds}`);
        return (await invited) - started;
      });
      queue = run.catch(() => {});
      return run;
    },
    async postCaseMessage(random) {
      const writers = [creator, ...members];
      const writer = writers[Math.floor(random() * writers.length)]!;
      const caseRooms = writer.client.getRooms().filter((r) => r.roomId !== dm && r.getMyMembership() === "join");
      const room = caseRooms[Math.floor(random() * caseRooms.length)];
      if (!room) return false;
      await writer.sendText(room.roomId, "Passage fait ce matin, pansement refait, cicatrisation en bonne voie. RAS sur le plan douleur.");
      return true;
    },
  };
}
