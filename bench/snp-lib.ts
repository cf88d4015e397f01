// The SNP world of the SNP benchmarks, on the benchmark's own Synapse: the SNP bot as a real
// process, a regulator in the regulation room, and candidates who are verified nurses of the
// CPTS practising in Douai (so that every one of them is in the first wave), each with an
// Element-like encrypted client whose device keys are on the server. The people sign in before
// the bot starts; the bot then opens its direct chat with each nurse of the SNP pool, in the
// background, and the world is ready once every nurse holds the bot's welcome there (timed).
// Optionally, "cold" candidates: physiotherapists outside the pool, so without a chat with the
// bot, until the benchmark puts them in it.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { MatrixEventEvent, RoomEvent, RoomMemberEvent, type MatrixEvent, type RoomMember } from "matrix-js-sdk";
import { openDatabase } from "../bots/database.ts";
import { VerifiedMembers } from "../bots/core/store/verified-members.ts";
import { Profiles } from "../bots/directory/profile/profile-store.ts";
import type { RunningSynapse } from "../scripts/lib/synapse.ts";
import { prepareBot, spawnBot, waitReady, type BotProcess, type BotSetup } from "../test/helpers/bot-process.ts";
import { insertPeople } from "../test/helpers/directory-rows.ts";
import { createElementClient, type ElementClient } from "../test/helpers/element-client.ts";
import { until } from "../test/helpers/until.ts";
import { createTestUser, type TestUser } from "../test/helpers/users.ts";

export interface SnpBenchWorld {
  readonly setup: BotSetup;
  readonly bot: BotProcess;
  readonly regulator: ElementClient;
  readonly regulationRoom: string;
  readonly candidates: readonly ElementClient[];
  /** Physiotherapists of Douai, verified, outside the SNP pool (no chat with the bot) until coldToPool(). */
  readonly coldCandidates: readonly ElementClient[];
  /** The bot opening its direct chats ahead of requests, from its process start (performance.now() differences). */
  readonly startup: { readonly botReadyMs: number; readonly firstWelcomedMs: number; readonly allWelcomedMs: number };
  /** Puts the cold candidates in the SNP pool, as the directory bot's `!profil snp oui` would. */
  coldToPool(): void;
  /** Marks another account a verified member of the CPTS (the policy module lets it invite). */
  markVerified(userId: string): void;
  /** `waiting`, or a failure with the end of the bot's log as soon as the bot process exits. */
  whileBotRuns<T>(waiting: Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** Logins and crypto set-ups at once: enough to overlap network waits without starving 2 cores. */
const LOGIN_BATCH = 10;

export const body = (event: MatrixEvent): string => String(event.getContent()["body"] ?? "");

export const isEdit = (event: MatrixEvent): boolean => event.getContent()["m.relates_to"]?.rel_type === "m.replace";

export interface SnpBenchOptions {
  /** Longer than bot-process.ts's 60 s when the machine is shared with a load test. */
  readonly botReadyTimeoutMs?: number;
  readonly coldCandidates?: number;
  /** The SNP bot's options besides the regulators. */
  readonly botOptions?: Record<string, unknown>;
}

/** The bot's welcome in the direct chat it opens ahead of requests (bots/snp/messages.ts, directChatWelcome). */
export const isWelcomeFrom = (botId: string) => (event: MatrixEvent): boolean => event.getSender() === botId && body(event).includes("vivier SNP");

const WELCOME_TIMEOUT_MS = 300_000;

export async function createSnpBenchWorld(synapse: RunningSynapse, candidateCount: number, options: SnpBenchOptions = {}): Promise<SnpBenchWorld> {
  const regulatorUser = await createTestUser("regulation", { displayName: "Régulatrice" }, synapse);
  const coordinatorUser = await createTestUser("coordination", { displayName: "Coordination" }, synapse);
  const candidateUsers: TestUser[] = [];
  for (let i = 0; i < candidateCount; i++) candidateUsers.push(await createTestUser("ide", { displayName: `Infirmière ${i + 1}` }, synapse));
  const coldUsers: TestUser[] = [];
  for (let i = 0; i < (options.coldCandidates ?? 0); i++) coldUsers.push(await createTestUser("kine", { displayName: `Kiné ${i + 1}` }, synapse));
  const setup = await prepareBot(
    {
      botId: "snp",
      acceptFrom: "local-users",
      cpts: { coordinators: [coordinatorUser.userId] },
      botOptions: { regulators: [regulatorUser.userId], ...options.botOptions },
    },
    synapse,
  );
  seedCandidates(setup, candidateUsers, coldUsers, regulatorUser);
  const clients: ElementClient[] = [];
  let bot: BotProcess | undefined;
  let welcomes: ReturnType<typeof whenDecrypted>[] = [];
  const stopAll = async (): Promise<void> => {
    for (const w of welcomes) w.cancel();
    await Promise.all(clients.map((c) => c.stop()));
    await bot?.stop();
    await rm(setup.dataDir, { recursive: true, force: true });
  };
  try {
    const regulator = await createElementClient(regulatorUser, synapse.baseUrl);
    clients.push(regulator);
    const signIn = async (users: readonly TestUser[]): Promise<ElementClient[]> => {
      const signedIn: ElementClient[] = [];
      for (let i = 0; i < users.length; i += LOGIN_BATCH) {
        const batch = await Promise.all(users.slice(i, i + LOGIN_BATCH).map((u) => createElementClient(u, synapse.baseUrl)));
        signedIn.push(...batch);
        clients.push(...batch);
      }
      for (const client of signedIn) joinDirectChatsFrom(client, setup.userId);
      return signedIn;
    };
    const candidates = await signIn(candidateUsers);
    const coldCandidates = await signIn(coldUsers);

    // The bot starts with everyone signed in long ago, as on a Monday morning.
    welcomes = candidates.map((c) => whenDecrypted(c, isWelcomeFrom(setup.userId), WELCOME_TIMEOUT_MS));
    const spawnedAt = performance.now();
    const running = spawnBot(setup);
    bot = running;
    const died = running.exited.then((code) => Promise.reject(new Error(`the SNP bot exited (code ${code}); its log ends with:\n${running.output().slice(-6_000)}`)));
    died.catch(() => {}); // the races below report it
    const whileBotRuns = <T>(waiting: Promise<T>): Promise<T> => Promise.race([waiting, died]);
    await waitReady(setup, running, options.botReadyTimeoutMs ?? 60_000);
    const botReadyMs = performance.now() - spawnedAt;
    const welcomedAt = (await whileBotRuns(Promise.all(welcomes.map((w) => w.seen)))).map((w) => w.at - spawnedAt);

    const db = openDatabase(join(setup.dataDir, "bots.db"));
    const regulationRoom = (db.prepare("SELECT room_id FROM snp_rooms WHERE key = 'regulation'").get() as { room_id: string }).room_id;
    db.close();
    await until("the regulator joined the regulation room", 30_000, () => regulator.joinRoom(regulationRoom).then(() => true, () => false));
    return {
      setup,
      bot: running,
      regulator,
      regulationRoom,
      candidates,
      coldCandidates,
      startup: { botReadyMs, firstWelcomedMs: Math.min(...welcomedAt), allWelcomedMs: Math.max(...welcomedAt) },
      coldToPool() {
        const db = openDatabase(join(setup.dataDir, "bots.db"));
        const profiles = new Profiles(db, { now: () => Date.now() });
        for (const user of coldUsers) profiles.set(user.userId, "snp", true);
        db.close();
      },
      markVerified(userId) {
        const db = openDatabase(join(setup.dataDir, "bots.db"));
        new VerifiedMembers(db, { now: () => Date.now() }).markVerified(userId, "bench");
        db.close();
      },
      whileBotRuns,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Directory rows, member links, verification and the SNP pool (the nurses, not the cold ones), as the directory bot would leave them. */
function seedCandidates(setup: BotSetup, candidateUsers: readonly TestUser[], coldUsers: readonly TestUser[], regulatorUser: TestUser): void {
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  const clock = { now: () => Date.now() };
  const verified = new VerifiedMembers(db, clock);
  const profiles = new Profiles(db, clock);
  const link = db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'bench')");
  candidateUsers.forEach((user, i) => {
    const rpps = String(10_000_000_000 + i);
    insertPeople(db, [{ rpps, firstName: "Infirmière", lastName: String(i + 1), profession: "Infirmier", commune: "Douai", communeCode: "59178" }]);
    link.run(user.userId, `8${rpps}`);
    verified.markVerified(user.userId, "bench");
    profiles.set(user.userId, "snp", true);
  });
  coldUsers.forEach((user, i) => {
    const rpps = String(10_500_000_000 + i);
    insertPeople(db, [{ rpps, firstName: "Kiné", lastName: String(i + 1), profession: "Masseur-Kinésithérapeute", commune: "Douai", communeCode: "59178" }]);
    link.run(user.userId, `8${rpps}`);
    verified.markVerified(user.userId, "bench");
  });
  verified.markVerified(regulatorUser.userId, "bench");
  db.close();
}

/** Joins the direct chats `inviter` opens with this client (not the case rooms: nobody has to be in them to be measured). */
function joinDirectChatsFrom(client: ElementClient, inviter: string): void {
  client.client.on(RoomMemberEvent.Membership, (event: MatrixEvent, member: RoomMember) => {
    if (member.userId !== client.userId || member.membership !== "invite" || event.getSender() !== inviter) return;
    if (event.getContent()["is_direct"] !== true) return;
    void client.client.joinRoom(member.roomId).catch(() => {});
  });
}

/**
 * Resolves with the moment (performance.now()) this client holds a decrypted event matching
 * `predicate`, seen live from now on. Listening starts at the call: call it before the send.
 */
export function whenDecrypted(client: ElementClient, predicate: (event: MatrixEvent) => boolean, timeoutMs: number): { seen: Promise<{ at: number; event: MatrixEvent }>; cancel(): void } {
  let cancel = (): void => {};
  const seen = new Promise<{ at: number; event: MatrixEvent }>((resolve, reject) => {
    const undecryptable = new Set<string>();
    const consider = (event: MatrixEvent): void => {
      if (event.isBeingDecrypted() || event.shouldAttemptDecryption()) return;
      if (event.isDecryptionFailure()) {
        undecryptable.add(`${event.getId() ?? "?"}: ${event.decryptionFailureReason ?? "unknown"}`);
        return;
      }
      if (!predicate(event)) return;
      cancel();
      resolve({ at: performance.now(), event });
    };
    const timer = setTimeout(() => {
      cancel();
      reject(new Error(`${client.userId}: nothing matching after ${timeoutMs} ms${undecryptable.size ? ` (undecryptable: ${[...undecryptable].join("; ")})` : ""}`));
    }, timeoutMs);
    client.client.on(RoomEvent.Timeline, consider);
    client.client.on(MatrixEventEvent.Decrypted, consider);
    cancel = () => {
      clearTimeout(timer);
      client.client.off(RoomEvent.Timeline, consider);
      client.client.off(MatrixEventEvent.Decrypted, consider);
    };
  });
  return { seen, cancel };
}

export const round = (ms: number): number => Math.round(ms * 10) / 10;

export const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

export function positiveIntegerSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}
