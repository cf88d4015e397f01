import { join } from "node:path";
import type { Router } from "express";
import type { MatrixClient } from "matrix-js-sdk";
import type { z } from "zod";
import { parseWithFileBase } from "./options-schema.ts";
import type { BaseContext, CommandSpec } from "./commands/command.ts";
import { createRouter } from "./commands/router.ts";
import { systemClock, type Clock } from "./clock.ts";
import { botConfig, ConfigError, describeIssues, readSecret, type BotsConfig } from "./config.ts";
import { coreCommands } from "./core-commands.ts";
import { BotEventHandler, type Conversation } from "./event-handler.ts";
import { startHttpServer } from "./http/server.ts";
import type { Lang, Localized } from "./i18n/lang.ts";
import { serverNameOf, type IncomingEvent, type Reaction } from "./intake.ts";
import { createLogger, type Logger } from "./logger.ts";
import { cryptoDirOf, ensureDevice } from "./matrix/device-session.ts";
import { connectMatrix } from "./matrix/matrix-adapter.ts";
import { openPersistentClient } from "./matrix/open-client.ts";
import { Messenger } from "./matrix/messenger.ts";
import { deriveStorageKey } from "./matrix/storage-key.ts";
import { BotMetrics } from "./metrics.ts";
import { Scheduler, type JobHandler } from "./scheduler.ts";
import { BotRooms } from "./store/bot-rooms.ts";
import { openDatabase, type Db } from "./store/database.ts";
import { SyncMarks } from "./store/sync-marks.ts";
import { EventLedger } from "./store/event-ledger.ts";
import { JobQueue } from "./store/job-queue.ts";
import { UserPreferences } from "./store/user-preferences.ts";
import { VerifiedMembers } from "./store/verified-members.ts";
import { SyncHealth } from "./sync-health.ts";

/** The services a bot's commands, jobs and handlers may use. */
export interface BotServices {
  readonly botId: string;
  readonly userId: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobs: JobQueue;
  readonly members: VerifiedMembers;
  readonly preferences: UserPreferences;
  /** The configuration file's folder: relative paths of the bot's options are relative to it (see parseBotOptions). */
  readonly configDir: string;
  /** The CPTS's language for shared rooms and people who chose none. */
  readonly defaultLanguage: Lang;
  readonly messenger: Messenger;
  /** For the bot's own thin Matrix adapters (rooms it manages); commands get a narrow context. */
  readonly matrix: MatrixClient;
}

/** What a bot does, once built on the services. */
export interface BotBehaviour {
  readonly commands: readonly CommandSpec<BaseContext>[];
  readonly jobHandlers?: ReadonlyMap<string, JobHandler>;
  /** A reaction put on a message in a room the bot is in, handled exactly once. */
  onReaction?(reaction: Reaction): Promise<void>;
  /** Guided exchanges (plain answers to the bot's questions), handled exactly once. */
  readonly conversation?: Conversation;
  /** Every other message people post where the bot is (texts that are not commands, files, images), handled exactly once. */
  onMessage?(event: IncomingEvent): Promise<void>;
  /** HTTP endpoints of the bot's own (for a telephone system, Synapse, the console), served beside /healthz. */
  readonly httpRoutes?: Router;
  /** After the first sync, before the bot reports ready. */
  onStart?(): Promise<void>;
  /** When the bot stops, before the Matrix client and the database close (end background loops). */
  onStop?(): Promise<void>;
}

/** A bot. `rawOptions` is `bots.<id>.options` from the configuration; see parseBotOptions. */
export interface BotDefinition {
  readonly id: string;
  readonly name: Localized;
  create(services: BotServices, rawOptions: unknown): BotBehaviour;
}

/**
 * Validates a bot's own options; a problem is reported with its key path, like the rest of
 * the configuration, and filePath() values are resolved against the configuration's folder.
 */
export function parseBotOptions<T>(schema: z.ZodType<T>, raw: unknown, botId: string, configDir: string): T {
  const result = parseWithFileBase(schema, raw, configDir);
  if (result.success) return result.data;
  throw new ConfigError(`invalid bots configuration:\n${describeIssues(result.error.issues, ["bots", botId, "options"])}`);
}

export interface RunningBot {
  readonly userId: string;
  readonly deviceId: string;
  readonly httpPort: number;
  readonly client: MatrixClient;
  stop(): Promise<void>;
}

const SYNC_STORE_SAVE_INTERVAL_MS = 10_000;
/** Events per room in a sync; a longer gap is paged back (see SyncMarks). */
const SYNC_TIMELINE_LIMIT = 20;

export function databaseFileOf(config: BotsConfig): string {
  return join(config.dataDir, "bots.db");
}

export async function startBot(config: BotsConfig, definition: BotDefinition, clock: Clock = systemClock): Promise<RunningBot> {
  const settings = botConfig(config, definition.id);
  const logger = createLogger(`bot-${definition.id}`);
  const password = readSecret(settings.passwordFile, `bots.${definition.id}.passwordFile`);
  const storageSecret = readSecret(settings.storageSecretFile, `bots.${definition.id}.storageSecretFile`);
  const db = openDatabase(databaseFileOf(config));

  const coldStart = clock.now();
  const storageKey = deriveStorageKey(storageSecret, settings.userId);
  const botDataDir = join(config.dataDir, definition.id);
  const session = await ensureDevice(
    botDataDir,
    { homeserverUrl: config.homeserverUrl, userId: settings.userId, password, deviceDisplayName: `CPTS ${definition.id} bot` },
    storageKey,
    logger,
  );
  const client = await openPersistentClient(session, cryptoDirOf(botDataDir), storageKey, logger).catch((err: unknown) => {
    if (String((err as Error).message).includes("failed to be decrypted")) {
      throw new ConfigError(
        `bots.${definition.id}.storageSecretFile: this secret does not open the crypto store in ${cryptoDirOf(botDataDir)} (it was created with another one); restore the original secret`,
      );
    }
    throw err;
  });
  logger.info({ deviceId: session.deviceId, cryptoReadyMs: clock.now() - coldStart, processUptimeMs: Math.round(process.uptime() * 1000) }, "crypto ready");

  const services: BotServices = {
    botId: definition.id,
    userId: session.userId,
    db,
    clock,
    logger,
    jobs: new JobQueue(db, definition.id, clock),
    members: new VerifiedMembers(db, clock),
    preferences: new UserPreferences(db, clock),
    configDir: config.configDir,
    defaultLanguage: config.defaultLanguage,
    messenger: new Messenger(client, db, definition.id),
    matrix: client,
  };
  const behaviour = definition.create(services, settings.options);
  const syncHealth = new SyncHealth();
  const syncMarks = new SyncMarks(db, definition.id);
  const previousRunSyncedAt = syncMarks.lastSyncedAt();
  const metrics = new BotMetrics(definition.id, () => clock.now(), () => syncHealth.lastSync());
  const router = createRouter([...coreCommands(services.preferences), ...behaviour.commands], { botName: definition.name, logger });
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
    invitePolicy: { ...(settings.invites ?? config.invites), serverName: serverNameOf(settings.userId) },
    previousRunSyncedAt,
    onReaction: behaviour.onReaction?.bind(behaviour),
    conversation: behaviour.conversation,
    onMessage: behaviour.onMessage?.bind(behaviour),
  });
  connectMatrix(client, handler, logger);

  const http = await startHttpServer(settings.http.host, settings.http.port, syncHealth, metrics.registry, behaviour.httpRoutes);
  const scheduler = new Scheduler(services.jobs, behaviour.jobHandlers ?? new Map(), clock, logger);

  // No lazy loading of members: with it, Synapse re-sends the bot's own membership after each
  // send into another room, the SDK takes it as a device-list change and queries the bot's
  // keys again before the next encryption (about 9 ms per message in the SNP dispatch bench).
  await client.startClient({ initialSyncLimit: SYNC_TIMELINE_LIMIT });
  await handler.firstSync;
  logger.info({ firstSyncMs: clock.now() - coldStart, processUptimeMs: Math.round(process.uptime() * 1000) }, "first sync done");
  await handler.catchUpMemberships();
  await behaviour.onStart?.();
  scheduler.start();
  if (client.getUser(settings.userId)?.displayName !== settings.displayName) {
    await client.setDisplayName(settings.displayName).catch((err: unknown) => logger.warn({ err: (err as Error).message }, "could not set display name"));
  }
  const saveSyncState = async (): Promise<void> => {
    await client.store.save(true);
    const lastSync = syncHealth.lastSync();
    if (lastSync !== undefined) syncMarks.record(lastSync);
  };
  const saver = setInterval(() => void saveSyncState(), SYNC_STORE_SAVE_INTERVAL_MS);

  return {
    userId: session.userId,
    deviceId: session.deviceId,
    httpPort: http.port,
    client,
    async stop() {
      clearInterval(saver);
      await behaviour.onStop?.();
      await scheduler.stop();
      client.stopClient();
      await saveSyncState();
      await http.close();
      db.close();
      logger.info("stopped");
    },
  };
}
