import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { SyncState, type MatrixClient } from "matrix-js-sdk";
import type { BaseContext, CommandSpec, Reply } from "./commands/command.ts";
import { parseCommand } from "./commands/parse.ts";
import { createRouter } from "./commands/router.ts";
import { systemClock, type Clock } from "./clock.ts";
import { botConfig, readSecret, type BotsConfig } from "./config.ts";
import { coreCommands } from "./core-commands.ts";
import { startHttpServer, type RunningHttpServer } from "./http/server.ts";
import { localize, type Lang, type Localized } from "./i18n/lang.ts";
import { RUNTIME_MESSAGES } from "./i18n/runtime-messages.ts";
import { acceptsInviteFrom, classifyEvent, serverNameOf, type IncomingEvent, type InvitePolicy } from "./intake.ts";
import { createLogger, type Logger } from "./logger.ts";
import { cryptoDirOf, ensureDevice } from "./matrix/device-session.ts";
import { connectMatrix, currentJoinTs, isRoomEncrypted, pendingMemberships, type MatrixEventSink } from "./matrix/matrix-adapter.ts";
import { openPersistentClient } from "./matrix/open-client.ts";
import { sendReply } from "./matrix/reply-sender.ts";
import { deriveStorageKey } from "./matrix/storage-key.ts";
import { BotMetrics } from "./metrics.ts";
import { SyncHealth } from "./sync-health.ts";
import { Scheduler, type JobHandler } from "./scheduler.ts";
import { BotRooms } from "./store/bot-rooms.ts";
import { openDatabase, type Db } from "./store/database.ts";
import { EventLedger } from "./store/event-ledger.ts";
import { JobQueue } from "./store/job-queue.ts";
import { UserPreferences } from "./store/user-preferences.ts";
import { VerifiedMembers } from "./store/verified-members.ts";

/** The services a bot's commands and jobs may use. */
export interface BotServices {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobs: JobQueue;
  readonly members: VerifiedMembers;
  readonly preferences: UserPreferences;
}

/** A bot: its commands and job handlers, built on the services. */
export interface BotDefinition {
  readonly id: string;
  readonly name: Localized;
  commands(services: BotServices): CommandSpec<BaseContext>[];
  jobHandlers?(services: BotServices): ReadonlyMap<string, JobHandler>;
}

export interface RunningBot {
  readonly userId: string;
  readonly deviceId: string;
  readonly httpPort: number;
  readonly client: MatrixClient;
  stop(): Promise<void>;
}

const SYNC_STORE_SAVE_INTERVAL_MS = 10_000;
const SYNC_TIMELINE_LIMIT = 100;
const SEND_ATTEMPTS = 3;

export function databaseFileOf(config: BotsConfig): string {
  return join(config.dataDir, "bots.db");
}

export async function startBot(config: BotsConfig, definition: BotDefinition, clock: Clock = systemClock): Promise<RunningBot> {
  const settings = botConfig(config, definition.id);
  const logger = createLogger(`bot-${definition.id}`);
  const password = readSecret(settings.passwordFile, `bots.${definition.id}.passwordFile`);
  const storageSecret = readSecret(settings.storageSecretFile, `bots.${definition.id}.storageSecretFile`);
  const db = openDatabase(databaseFileOf(config));
  const services: BotServices = {
    db,
    clock,
    logger,
    jobs: new JobQueue(db, definition.id, clock),
    members: new VerifiedMembers(db, clock),
    preferences: new UserPreferences(db, clock),
  };

  const coldStart = clock.now();
  const storageKey = deriveStorageKey(storageSecret, settings.userId);
  const botDataDir = join(config.dataDir, definition.id);
  const session = await ensureDevice(
    botDataDir,
    { homeserverUrl: config.homeserverUrl, userId: settings.userId, password, deviceDisplayName: `CPTS ${definition.id} bot` },
    storageKey,
    logger,
  );
  const client = await openPersistentClient(session, cryptoDirOf(botDataDir), storageKey, logger);
  logger.info({ deviceId: session.deviceId, cryptoReadyMs: clock.now() - coldStart, processUptimeMs: Math.round(process.uptime() * 1000) }, "crypto ready");

  const syncHealth = new SyncHealth();
  const metrics = new BotMetrics(definition.id, () => clock.now(), () => syncHealth.lastSync());
  const router = createRouter([...coreCommands(services.preferences), ...definition.commands(services)], { botName: definition.name, logger });
  const handler = new BotEventHandler({
    botId: definition.id,
    client,
    logger,
    metrics,
    router,
    ledger: new EventLedger(db, definition.id, clock),
    rooms: new BotRooms(db, definition.id),
    services,
    syncHealth,
    defaultLanguage: config.defaultLanguage,
    invitePolicy: { ...config.invites, serverName: serverNameOf(settings.userId) },
  });
  connectMatrix(client, handler, logger);

  const http = await startHttpServer(settings.http.host, settings.http.port, syncHealth, metrics.registry);
  const scheduler = new Scheduler(services.jobs, definition.jobHandlers?.(services) ?? new Map(), clock, logger);

  await client.startClient({ initialSyncLimit: SYNC_TIMELINE_LIMIT, lazyLoadMembers: true });
  await handler.firstSync;
  logger.info({ firstSyncMs: clock.now() - coldStart, processUptimeMs: Math.round(process.uptime() * 1000) }, "first sync done");
  await handler.catchUpMemberships();
  scheduler.start();
  if (client.getUser(settings.userId)?.displayName !== settings.displayName) {
    await client.setDisplayName(settings.displayName).catch((err: unknown) => logger.warn({ err: (err as Error).message }, "could not set display name"));
  }
  const saver = setInterval(() => void client.store.save(true), SYNC_STORE_SAVE_INTERVAL_MS);

  return {
    userId: session.userId,
    deviceId: session.deviceId,
    httpPort: http.port,
    client,
    async stop() {
      clearInterval(saver);
      await scheduler.stop();
      client.stopClient();
      await client.store.save(true);
      await http.close();
      db.close();
      logger.info("stopped");
    },
  };
}

interface HandlerDeps {
  readonly botId: string;
  readonly client: MatrixClient;
  readonly logger: Logger;
  readonly metrics: BotMetrics;
  readonly router: ReturnType<typeof createRouter<BaseContext>>;
  readonly ledger: EventLedger;
  readonly rooms: BotRooms;
  readonly services: BotServices;
  readonly syncHealth: SyncHealth;
  readonly defaultLanguage: Lang;
  readonly invitePolicy: InvitePolicy;
}

/** Turns homeserver events into handled commands, exactly once each. */
class BotEventHandler implements MatrixEventSink {
  readonly firstSync: Promise<void>;
  private readonly deps: HandlerDeps;
  private readonly inFlight = new Set<string>();

  constructor(deps: HandlerDeps) {
    this.deps = deps;
    this.firstSync = deps.syncHealth.firstSync;
  }

  onSyncState(state: SyncState, at: number): void {
    if (state === SyncState.Error) this.deps.metrics.errors.inc({ kind: "sync" });
    this.deps.syncHealth.onSyncState(state, at);
  }

  onUndecryptable(eventId: string, roomId: string): void {
    this.deps.metrics.errors.inc({ kind: "decryption" });
    this.deps.logger.warn({ eventId, roomId }, "cannot decrypt event yet (keys may still arrive)");
  }

  onOwnJoin(roomId: string, joinedAt: number): void {
    this.deps.rooms.recordJoin(roomId, joinedAt);
  }

  onOwnLeave(roomId: string): void {
    this.deps.rooms.forget(roomId);
  }

  async catchUpMemberships(): Promise<void> {
    const { invites, joins } = pendingMemberships(this.deps.client);
    for (const { roomId, joinedAt } of joins) if (this.deps.rooms.joinedAt(roomId) === undefined) this.deps.rooms.recordJoin(roomId, joinedAt);
    for (const { roomId, inviter } of invites) await this.onInvite(roomId, inviter);
  }

  async onInvite(roomId: string, inviter: string): Promise<void> {
    await this.firstSync;
    const key = `invite:${roomId}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const { client, logger, services, invitePolicy } = this.deps;
      // The room may not be stored yet when its invite is announced: only skip a room already joined.
      if (client.getRoom(roomId)?.getMyMembership() === "join") return;
      if (acceptsInviteFrom(inviter, invitePolicy, (userId) => services.members.isVerified(userId))) {
        await client.joinRoom(roomId);
        logger.info({ roomId, inviter }, "joined on invite");
      } else {
        await client.leave(roomId);
        logger.info({ roomId, inviter }, "declined invite from a user outside the invite policy");
      }
    } finally {
      this.inFlight.delete(key);
    }
  }

  async onRoomEvent(event: IncomingEvent): Promise<void> {
    await this.firstSync;
    const { client, logger, rooms, ledger } = this.deps;
    const joinedAt = rooms.joinedAt(event.roomId) ?? this.recordCurrentJoin(event.roomId);
    const intake = classifyEvent(event, client.getSafeUserId(), joinedAt);
    if (intake.kind === "ignore") return;
    if (parseCommand(intake.body).kind === "not-a-command") return;
    if (this.inFlight.has(event.eventId)) return;
    this.inFlight.add(event.eventId);
    try {
      const claim = ledger.claim(event.eventId, event.roomId);
      if (claim === "done") return;
      const { reply, command, status } = await this.answer(event, intake.body);
      const replyEventId = await this.send(event, reply);
      ledger.complete(event.eventId, status, replyEventId);
      this.deps.metrics.commands.inc({ command: command ?? "none", status });
      logger.info({ eventId: event.eventId, roomId: event.roomId, command, status, resumed: claim === "resume" }, "command handled");
    } finally {
      this.inFlight.delete(event.eventId);
    }
  }

  private recordCurrentJoin(roomId: string): number | undefined {
    const joinedAt = currentJoinTs(this.deps.client, roomId);
    if (joinedAt !== undefined) this.deps.rooms.recordJoin(roomId, joinedAt);
    return joinedAt;
  }

  private async answer(event: IncomingEvent, body: string): Promise<{ reply: Reply; command: string | null; status: string }> {
    const { services, defaultLanguage, client, router } = this.deps;
    const lang = services.preferences.language(event.sender) ?? defaultLanguage;
    if (!event.encrypted || !isRoomEncrypted(client, event.roomId)) {
      return { reply: { text: localize(RUNTIME_MESSAGES.unencryptedRoom, lang) }, command: null, status: "refused-unencrypted" };
    }
    const outcome = await router.route(body, { lang, sender: event.sender, roomId: event.roomId, correlationId: randomUUID().slice(0, 8) });
    if (outcome.kind === "ignored") throw new Error("router ignored a text the parser took for a command");
    return { reply: outcome.reply, command: outcome.command, status: outcome.status };
  }

  private async send(event: IncomingEvent, reply: Reply): Promise<string> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
      try {
        return await sendReply(this.deps.client, this.deps.botId, event.roomId, event.eventId, reply);
      } catch (err) {
        lastError = err;
        this.deps.metrics.errors.inc({ kind: "send" });
        this.deps.logger.warn({ eventId: event.eventId, attempt, err: (err as Error).message }, "reply not sent, retrying");
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    throw lastError;
  }
}
