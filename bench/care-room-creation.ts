// A patient case room created with 6 members invited (`!patient <theme> <6 members>` in an
// encrypted DM with the care bot), next to the same createRoom + invitations done by a plain
// client (encrypted, private, same power levels and state), measured interleaved in the same
// run. Both are timed from the first request to the moment the 6 invitees' clients hold their
// invitation. Prints JSON. BENCH_CASE_RUNS (default 20) sets the runs of each.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { EventType, Preset, Visibility } from "matrix-js-sdk";
import { carePowerLevels, CARE_ROOM_STATE } from "../bots/care/matrix/care-rooms.ts";
import { openDatabase } from "../bots/database.ts";
import { VerifiedMembers } from "../bots/core/store/verified-members.ts";
import { prepareBot, startBotProcess } from "../test/helpers/bot-process.ts";
import { insertPeople } from "../test/helpers/directory-rows.ts";
import { createElementClient, type ElementClient } from "../test/helpers/element-client.ts";
import { createTestUser, type TestUser } from "../test/helpers/users.ts";
import { benchSynapse, invitationsFrom, summary } from "./lib.ts";
import { positiveIntegerSetting, ratio } from "./snp-lib.ts";

const RUNS = positiveIntegerSetting("BENCH_CASE_RUNS", 20);
const WARMUP = 2;
const MEMBERS = 6;
const TIMEOUT_MS = 30_000;


const synapse = await benchSynapse();
try {
  const creatorUser = await createTestUser("mg", { displayName: "Médecin" }, synapse);
  const memberUsers: TestUser[] = [];
  for (let i = 0; i < MEMBERS; i++) memberUsers.push(await createTestUser("ps", { displayName: `Membre ${i + 1}` }, synapse));
  const plainUser = await createTestUser("plain", { displayName: "Client simple" }, synapse);
  const setup = await prepareBot({ botId: "equipes", acceptFrom: "local-users", cpts: { coordinators: [creatorUser.userId] } }, synapse);

  const db = openDatabase(join(setup.dataDir, "bots.db"));
  const verified = new VerifiedMembers(db, { now: () => Date.now() });
  const link = db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'bench')");
  const firstRpps = 30_000_000_000 + (Date.now() % 1_000_000) * 1_000;
  [creatorUser, ...memberUsers].forEach((user, i) => {
    const rpps = String(firstRpps + i);
    insertPeople(db, [{ rpps, firstName: "Membre", lastName: String(i), profession: "Infirmier", commune: "Douai", communeCode: "59178" }]);
    link.run(user.userId, `8${rpps}`);
    verified.markVerified(user.userId, "bench");
  });
  db.close();

  const bot = await startBotProcess(setup);
  const creator = await createElementClient(creatorUser, synapse.baseUrl);
  const plain = await createElementClient(plainUser, synapse.baseUrl);
  const members: ElementClient[] = [];
  for (const user of memberUsers) members.push(await createElementClient(user, synapse.baseUrl));
  const dm = await creator.createEncryptedDm(setup.userId);
  await creator.waitForJoin(dm, setup.userId);
  const memberIds = members.map((m) => m.userId);

  const viaBot = async (): Promise<number> => {
    const invited = invitationsFrom(members, setup.userId, TIMEOUT_MS);
    const started = performance.now();
    await creator.sendText(dm, `!patient suivi plaie ${memberIds.join(" ")}`);
    return (await invited) - started;
  };
  let plainRuns = 0;
  const viaPlainClient = async (): Promise<number> => {
    const invited = invitationsFrom(members, plainUser.userId, TIMEOUT_MS);
    const started = performance.now();
    await plain.client.createRoom({
      name: "Équipe C-BNCH · suivi plaie",
      topic: "Équipe de soins",
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      invite: memberIds,
      power_level_content_override: carePowerLevels(plainUser.userId, [], "12"),
      initial_state: [
        { type: EventType.RoomEncryption, state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
        { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
        { type: EventType.RoomHistoryVisibility, state_key: "", content: { history_visibility: "invited" } },
        { type: CARE_ROOM_STATE, state_key: "", content: { key: `bench:${plainRuns++}` } },
      ],
    });
    return (await invited) - started;
  };

  for (let i = 0; i < WARMUP; i++) {
    await viaBot();
    await viaPlainClient();
  }
  const botMs: number[] = [];
  const plainMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    botMs.push(await viaBot());
    plainMs.push(await viaPlainClient());
  }
  const botSummary = summary(botMs);
  const plainSummary = summary(plainMs);
  console.log(
    JSON.stringify(
      {
        benchmark: "care case room creation, 6 members invited, encrypted",
        runs: RUNS,
        botCommandToInvitationsMs: botSummary,
        plainCreateRoomToInvitationsMs: plainSummary,
        ratioP50: ratio(botSummary.p50, plainSummary.p50),
        ratioP95: ratio(botSummary.p95, plainSummary.p95),
        aim: "ratio <= 1.3",
      },
      null,
      2,
    ),
  );
  await Promise.all([creator, plain, ...members].map((c) => c.stop()));
  await bot.stop();
} finally {
  await synapse.cleanup();
}
process.exit(0);
