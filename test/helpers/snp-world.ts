// An SNP world on the real Synapse: the SNP bot as a real process, a regulator, candidates who
// are verified members of the CPTS with a directory entry placed in the territory, each with
// an Element-like encrypted client that joins the bot's direct chats when invited.
import { join } from "node:path";
import { RoomEvent, RoomMemberEvent, type MatrixEvent, type RoomMember } from "matrix-js-sdk";
import { openDatabase } from "../../bots/database.ts";
import { UserPreferences } from "../../bots/core/store/user-preferences.ts";
import { VerifiedMembers } from "../../bots/core/store/verified-members.ts";
import { Profiles } from "../../bots/directory/profile/profile-store.ts";
import { prepareBot, startBotProcess, type BotProcess, type BotSetup } from "./bot-process.ts";
import { insertPeople } from "./directory-rows.ts";
import { createElementClient, type ElementClient } from "./element-client.ts";
import { until } from "./until.ts";
import { createTestUser } from "./users.ts";

export interface CandidateSeed {
  readonly name: string;
  readonly profession?: string;
  readonly skills?: readonly string[];
  readonly commune: string;
  readonly communeCode: string;
  readonly inPool?: boolean;
  readonly hours?: string;
  /** Their language, chosen before the bot starts (French otherwise). */
  readonly lang?: "en";
}

export interface SnpWorld {
  readonly setup: BotSetup;
  bot: BotProcess;
  readonly regulator: ElementClient;
  readonly coordinator: ElementClient;
  regulationRoom: string;
  readonly candidates: readonly ElementClient[];
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");

let rppsCounter = Number(String(Date.now()).slice(-7)) * 1000;
const nextRpps = (): string => `1${String(rppsCounter++).padStart(10, "0")}`;

/** Every event each client saw, whatever later happens to its live timelines (a gappy sync resets them). */
const seen = new WeakMap<ElementClient, Map<string, MatrixEvent>>();

/**
 * Joins every room the bot invites this client to (the bot opens direct chats and case
 * rooms), and records every event the client sees.
 */
export function autoJoin(client: ElementClient, inviter: string): void {
  const events = new Map<string, MatrixEvent>();
  seen.set(client, events);
  // The first object seen for an event is kept: the SDK decrypts and edits it in place, while a
  // copy delivered again later (a timeline reset) may not be decrypted yet.
  client.client.on(RoomEvent.Timeline, (event: MatrixEvent) => {
    const id = event.getId() ?? "";
    if (!events.has(id)) events.set(id, event);
  });
  client.client.on(RoomMemberEvent.Membership, (event: MatrixEvent, member: RoomMember) => {
    if (member.userId === client.userId && member.membership === "invite" && event.getSender() === inviter) {
      void client.client.joinRoom(member.roomId).catch(() => {});
    }
  });
}

/** Every event this client received, edits included. */
export function seenBy(client: ElementClient): MatrixEvent[] {
  return [...(seen.get(client)?.values() ?? [])];
}

/** Every message of the bot mentioning `code` that this client received (edits excluded). */
export function botMessages(client: ElementClient, botUserId: string, code: string): MatrixEvent[] {
  return seenBy(client).filter(
    (e) => e.getSender() === botUserId && body(e).includes(code) && e.getContent()["m.relates_to"]?.rel_type !== "m.replace",
  );
}

/** The bot's notification to this client for request `code`. */
export async function notificationOf(client: ElementClient, botUserId: string, code: string, timeoutMs = 30_000): Promise<MatrixEvent> {
  const find = (): MatrixEvent | undefined => botMessages(client, botUserId, code).find((e) => body(e).startsWith("🩺"));
  await until(`${client.userId}: notification for ${code}`, timeoutMs, () => find() !== undefined);
  return find()!;
}

export async function createSnpWorld(seeds: readonly CandidateSeed[], botOptions: Record<string, unknown> = {}): Promise<SnpWorld> {
  const regulatorUser = await createTestUser("regulation", { displayName: "Régulatrice" });
  const coordinatorUser = await createTestUser("coordination", { displayName: "Coordination" });
  const candidateUsers = await Promise.all(seeds.map((s) => createTestUser("ps", { displayName: s.name })));
  const setup = await prepareBot({
    botId: "snp",
    acceptFrom: "local-users",
    cpts: { coordinators: [coordinatorUser.userId] },
    botOptions: { regulators: [regulatorUser.userId], ...botOptions },
  });
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  const verified = new VerifiedMembers(db, { now: () => Date.now() });
  const profiles = new Profiles(db, { now: () => Date.now() });
  const preferences = new UserPreferences(db, { now: () => Date.now() });
  const link = db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'test')");
  seeds.forEach((seed, i) => {
    const rpps = nextRpps();
    const [firstName, ...last] = seed.name.split(" ");
    insertPeople(db, [
      { rpps, firstName: firstName!, lastName: last.join(" "), profession: seed.profession ?? "Infirmier", commune: seed.commune, communeCode: seed.communeCode, ...(seed.skills ? { skills: seed.skills } : {}) },
    ]);
    const user = candidateUsers[i]!.userId;
    link.run(user, `8${rpps}`);
    verified.markVerified(user, "test");
    profiles.set(user, "snp", seed.inPool ?? true);
    if (seed.hours) profiles.set(user, "hours", seed.hours);
    if (seed.lang) preferences.setLanguage(user, seed.lang);
  });
  verified.markVerified(regulatorUser.userId, "test");
  db.close();

  // People sign in (and cross-sign their sessions) before the bot starts, so that the bot's
  // first look at their devices already sees them verified, as with people who signed in long ago.
  const regulator = await createElementClient(regulatorUser);
  const coordinator = await createElementClient(coordinatorUser);
  const candidates = await Promise.all(candidateUsers.map((u) => createElementClient(u)));
  // Before the bot starts: it invites the members of the SNP pool to its direct chats at once.
  for (const c of [...candidates, regulator, coordinator]) autoJoin(c, setup.userId);
  const world: SnpWorld = {
    setup,
    regulator,
    coordinator,
    regulationRoom: "",
    candidates,
    bot: await startBotProcess(setup),
    async restart() {
      world.bot = await startBotProcess(setup);
    },
    async stop() {
      await Promise.all([world.regulator, world.coordinator, ...world.candidates].map((c) => c.stop()));
      await world.bot.stop();
    },
  };
  const roomDb = openDatabase(join(setup.dataDir, "bots.db"));
  const regulationRow = (): { room_id: string } | undefined => roomDb.prepare("SELECT room_id FROM snp_rooms WHERE key = 'regulation'").get() as { room_id: string } | undefined;
  await until("the bot created the regulation room", 30_000, () => regulationRow() !== undefined);
  world.regulationRoom = regulationRow()!.room_id;
  roomDb.close();
  await until("the regulator joined the regulation room", 30_000, () => world.regulator.joinRoom(world.regulationRoom).then(() => true, () => false));
  return world;
}
