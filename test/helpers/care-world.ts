// A care-teams world on the real Synapse: the "equipes" bot as a real process, members of the
// CPTS with a directory entry (profession, specialty, commune) and Element-like encrypted
// clients that join the rooms the bot invites them to; a coordinator; accounts that are not
// members (never verified, or deactivated).
import { join } from "node:path";
import { EventType, type MatrixEvent } from "matrix-js-sdk";
import { readPosted } from "../../bots/care/matrix/forwarding.ts";
import { openDatabase } from "../../bots/database.ts";
import { VerifiedMembers } from "../../bots/core/store/verified-members.ts";
import { Profiles } from "../../bots/directory/profile/profile-store.ts";
import { prepareBot, startBotProcess, type BotProcess, type BotSetup } from "./bot-process.ts";
import { insertPeople } from "./directory-rows.ts";
import { createElementClient, type ElementClient } from "./element-client.ts";
import { autoJoin, body, seenBy } from "./snp-world.ts";
import { until } from "./until.ts";
import { createTestUser } from "./users.ts";

export { body, seenBy };

export interface MemberSeed {
  /** "First Last": the directory's names. */
  readonly name: string;
  readonly profession: string;
  /** National savoir-faire labels ("Cardiologie et maladies vasculaires"). */
  readonly specialties?: readonly string[];
  readonly commune: string;
  readonly communeCode: string;
  /** What the member declared on their card (profile skills): the expertise of téléexpertise. */
  readonly declared?: readonly string[];
  /** "deactivated": verified once, then removed from the CPTS; "none": never verified. */
  readonly membership?: "verified" | "deactivated" | "none";
}

export interface CareWorld {
  readonly setup: BotSetup;
  bot: BotProcess;
  readonly members: readonly ElementClient[];
  readonly rpps: readonly string[];
  readonly coordinator: ElementClient;
  /** An encrypted direct chat of this client with the bot (opened once). */
  dm(client: ElementClient): Promise<string>;
  /** Sends a command and returns the bot's reply to it. */
  ask(client: ElementClient, roomId: string, text: string, timeoutMs?: number): Promise<string>;
  /** The bot's messages in a room, as this client decrypted them. */
  botSays(client: ElementClient, roomId: string, predicate: (body: string) => boolean, timeoutMs?: number): Promise<MatrixEvent>;
  dbGet<T>(sql: string, ...params: unknown[]): T;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let rppsCounter = Number(String(Date.now()).slice(-6)) * 1000 + 500;
const nextRpps = (): string => `2${String(rppsCounter++).padStart(10, "0")}`;

export async function createCareWorld(seeds: readonly MemberSeed[], botOptions: Record<string, unknown> = {}): Promise<CareWorld> {
  const coordinatorUser = await createTestUser("coordination", { displayName: "Coordination" });
  const users = await Promise.all(seeds.map((s) => createTestUser("ps", { displayName: s.name })));
  const setup = await prepareBot({ botId: "equipes", acceptFrom: "local-users", cpts: { coordinators: [coordinatorUser.userId] }, botOptions });
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  const clock = { now: () => Date.now() };
  const verified = new VerifiedMembers(db, clock);
  const profiles = new Profiles(db, clock);
  const link = db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'test')");
  const rpps: string[] = [];
  seeds.forEach((seed, i) => {
    const number = nextRpps();
    rpps.push(number);
    const [firstName, ...last] = seed.name.split(" ");
    insertPeople(db, [
      { rpps: number, firstName: firstName!, lastName: last.join(" "), profession: seed.profession, commune: seed.commune, communeCode: seed.communeCode, ...(seed.specialties ? { skills: seed.specialties } : {}) },
    ]);
    const user = users[i]!.userId;
    if (seed.membership === "none") return;
    link.run(user, `8${number}`);
    verified.markVerified(user, "test");
    if (seed.membership === "deactivated") verified.deactivate(user);
    if (seed.declared) profiles.set(user, "skills", seed.declared);
  });
  verified.markVerified(coordinatorUser.userId, "test");
  db.close();

  const dms = new Map<ElementClient, string>();
  // Members sign in (and cross-sign their sessions) before the bot starts, so that the bot's
  // first look at their devices already sees them verified, as with people who signed in long ago.
  const members = await Promise.all(users.map((u) => createElementClient(u)));
  const coordinator = await createElementClient(coordinatorUser);
  const world: CareWorld = {
    setup,
    members,
    rpps,
    coordinator,
    bot: await startBotProcess(setup),
    async dm(client) {
      const known = dms.get(client);
      if (known) return known;
      const roomId = await client.createEncryptedDm(setup.userId);
      await client.waitForJoin(roomId, setup.userId);
      dms.set(client, roomId);
      return roomId;
    },
    async ask(client, roomId, text, timeoutMs = 30_000) {
      const commandId = await client.sendText(roomId, text);
      const reply = await client.waitForMessage(roomId, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(commandId), timeoutMs);
      return body(reply);
    },
    botSays(client, roomId, predicate, timeoutMs = 30_000) {
      return client.waitForMessage(roomId, (e) => e.getSender() === setup.userId && predicate(body(e)), timeoutMs);
    },
    dbGet<T>(sql: string, ...params: unknown[]): T {
      const connection = openDatabase(join(setup.dataDir, "bots.db"));
      try {
        return connection.prepare(sql).get(...params) as T;
      } finally {
        connection.close();
      }
    },
    async restart() {
      world.bot = await startBotProcess(setup);
    },
    async stop() {
      await Promise.all([world.coordinator, ...world.members].map((c) => c.stop()));
      await world.bot.stop();
    },
  };
  for (const client of [world.coordinator, ...world.members]) autoJoin(client, setup.userId);
  return world;
}

/** The room the bot invited this client to whose name contains `text` (joined by autoJoin). */
export async function joinedRoomNamed(client: ElementClient, text: string, timeoutMs = 30_000): Promise<string> {
  const find = (): string | undefined => client.client.getRooms().find((r) => r.name.includes(text) && r.getMyMembership() === "join")?.roomId;
  await until(`${client.userId} joined a room named ${text}`, timeoutMs, () => find() !== undefined);
  return find()!;
}

/** The first pinned message of a room (the fiche de liaison), as this client can fetch and decrypt it; undefined when it cannot. */
export async function pinnedText(client: ElementClient, roomId: string): Promise<string | undefined> {
  const pinned = client.client.getRoom(roomId)?.currentState.getStateEvents(EventType.RoomPinnedEvents, "")?.getContent()["pinned"] as unknown;
  const first = Array.isArray(pinned) ? pinned[0] : undefined;
  if (typeof first !== "string") return undefined;
  const posted = await readPosted(client.client, roomId, first).catch(() => undefined);
  return posted?.kind === "text" ? posted.body : undefined;
}
