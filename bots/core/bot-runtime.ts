import { join } from "node:path";
import type { Router } from "express";
import type { MatrixClient } from "matrix-js-sdk";
import { CryptoEvent, OnlySignedDevicesIsolationMode } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { z } from "zod";
import { parseWithFileBase } from "./options-schema.ts";
import type { BaseContext, CommandSpec } from "./commands/command.ts";
import { createRouter } from "./commands/router.ts";
import { systemClock, type Clock } from "./clock.ts";
import { botConfig, type BotsConfig, ConfigError, databaseFileOf, describeIssues, readSecret } from "./config.ts";
export { databaseFileOf };
import { coreCommands } from "./core-commands.ts";
import { BotEventHandler, type Conversation } from "./event-handler.ts";
import { startHttpServer } from "./http/server.ts";
import type { Lang, Localized } from "./i18n/lang.ts";
import { serverNameOf, type IncomingEvent, type Reaction } from "./intake.ts";
import { createLogger, type Logger } from "./logger.ts";
import { ensureCrossSignedDevice, IdentityRefused, publishedIdentity, resetMarkerOf } from "./matrix/cross-signing.ts";
import { cryptoDirOf, ensureDevice } from "./matrix/device-session.ts";
import { connectMatrix } from "./matrix/matrix-adapter.ts";
import { openPersistentClient } from "./matrix/open-client.ts";
import { Messenger } from "./matrix/messenger.ts";
import { readRecoveryKey } from "./matrix/recovery-key.ts";
import { deriveStorageKey } from "./matrix/storage-key.ts";
import { BotMetrics } from "./metrics.ts";
import { Scheduler, type JobHandler } from "./scheduler.ts";
import { BotRooms } from "./store/bot-rooms.ts";
import { openDatabase, type Db } from "./store/database.ts";
import type { ModuleSchema } from "./store/migrations.ts";
import { SyncMarks } from "./store/sync-marks.ts";
import type { Cpts } from "./cpts.ts";
import { EventLedger } from "./store/event-ledger.ts";
import { JobQueue } from "./store/job-queue.ts";
import { UnverifiedSessionNotices } from "./store/unverified-session-notices.ts";
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
  /** The CPTS (the configuration's `cpts` section): name, coordinators, territory. */
  readonly cpts: Cpts;
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

/** A bot, with its options of type O (`bots.<id>.options`, validated by `optionsSchema`). */
export interface BotDefinition<O = unknown> {
  readonly id: string;
  readonly name: Localized;
  /** The bot's `options`, checked by `--check-config` and by startBot before anything connects; absent: the bot takes none. */
  readonly optionsSchema?: z.ZodType<O>;
  /** The modules whose tables it uses (its own, and those it reads): their migrations (core's come with any database). */
  readonly schemas: readonly ModuleSchema[];
  /** Starts a /sync at most this often: for a bot that sends long runs of events (a bridge catching up); absent: no pause. */
  readonly minSyncIntervalMs?: number;
  /** Builds the bot on the services once logged in, with its options already validated (botOptions). */
  create(services: BotServices, options: O): BotBehaviour;
}

/** A bot's options, validated (filePath() values resolved against `configDir`); a ConfigError names each problem's key path. */
export function botOptions<O>(definition: BotDefinition<O>, raw: unknown, configDir: string): O {
  if (!definition.optionsSchema) {
    if (raw !== undefined) throw new ConfigError(`invalid bots configuration:\n  - bots.${definition.id}.options: this bot takes no options`);
    return undefined as O;
  }
  return parseBotOptions(definition.optionsSchema, raw ?? {}, definition.id, configDir);
}

/** Validates raw options, then builds the bot (tests and tools that hold a configuration's `options` as written). */
export function createBot<O>(definition: BotDefinition<O>, services: BotServices, rawOptions: unknown): BotBehaviour {
  return definition.create(services, botOptions(definition, rawOptions, services.configDir));
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

/** Whether the bot's own device is cross-signed, kept current when the account's keys change (shown on /healthz and /metrics). */
class DeviceTrust {
  crossSigned = false;
  private readonly client: MatrixClient;
  private readonly userId: string;
  private readonly deviceId: string;

  constructor(client: MatrixClient, userId: string, deviceId: string) {
    this.client = client;
    this.userId = userId;
    this.deviceId = deviceId;
    client.on(CryptoEvent.UserTrustStatusChanged, (changed: string) => {
      if (changed === userId) this.refreshQuietly();
    });
    client.on(CryptoEvent.DevicesUpdated, (changed: string[]) => {
      if (changed.includes(userId)) this.refreshQuietly();
    });
  }

  private refreshQuietly(): void {
    // Unknown until the homeserver answers again: the previous value stands.
    this.refresh().catch(() => {});
  }

  async refresh(): Promise<void> {
    this.crossSigned = (await publishedIdentity(this.client, this.userId, this.deviceId)).deviceSigned;
  }
}

/**
 * The modules that run on the configuration's database: those of every configured bot (the
 * bot processes share one database, whichever starts first brings it up to date).
 */
export function schemasOfConfiguredBots(config: Pick<BotsConfig, "bots">, definitions: ReadonlyMap<string, BotDefinition>): ModuleSchema[] {
  const byModule = new Map<string, ModuleSchema>();
  for (const botId of Object.keys(config.bots)) {
    for (const schema of definitions.get(botId)?.schemas ?? []) byModule.set(schema.module, schema);
  }
  return [...byModule.values()];
}

export async function startBot(config: BotsConfig, definition: BotDefinition, clock: Clock = systemClock, schemas: readonly ModuleSchema[] = definition.schemas): Promise<RunningBot> {
  const settings = botConfig(config, definition.id);
  // Typed and checked before any secret is read or anything connects.
  const options = botOptions(definition, settings.options, config.configDir);
  const logger = createLogger(`bot-${definition.id}`);
  const password = readSecret(settings.passwordFile, `bots.${definition.id}.passwordFile`);
  const storageSecret = readSecret(settings.storageSecretFile, `bots.${definition.id}.storageSecretFile`);
  const secretStorageKey = readRecoveryKey(settings.recoveryKeyFile, definition.id, settings.userId);
  const db = openDatabase(databaseFileOf(config), schemas);

  const coldStart = clock.now();
  const storageKey = deriveStorageKey(storageSecret, settings.userId);
  const botDataDir = join(config.dataDir, definition.id);
  const session = await ensureDevice(
    botDataDir,
    { homeserverUrl: config.homeserverUrl, userId: settings.userId, password, deviceDisplayName: `CPTS ${definition.id} bot` },
    storageKey,
    logger,
  );
  const client = await openPersistentClient(session, cryptoDirOf(botDataDir), storageKey, logger, secretStorageKey, { minSyncIntervalMs: definition.minSyncIntervalMs }).catch((err: unknown) => {
    if (String((err as Error).message).includes("failed to be decrypted")) {
      throw new ConfigError(
        `bots.${definition.id}.storageSecretFile: this secret does not open the crypto store in ${cryptoDirOf(botDataDir)} (it was created with another one); restore the original secret`,
      );
    }
    throw err;
  });
  // As Element does since MSC4153: encrypt only to sessions their owner cross-signed, read only from them.
  client.getCrypto()!.setDeviceIsolationMode(new OnlySignedDevicesIsolationMode());
  await ensureCrossSignedDevice(client, {
    botId: definition.id,
    userId: session.userId,
    deviceId: session.deviceId,
    password,
    secretStorageKey,
    resetMarkerFile: resetMarkerOf(botDataDir),
    logger,
  }).catch((err: unknown) => {
    throw err instanceof IdentityRefused ? new ConfigError(err.message) : err;
  });
  const deviceTrust = new DeviceTrust(client, session.userId, session.deviceId);
  await deviceTrust.refresh();
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
    cpts: config.cpts,
    defaultLanguage: config.defaultLanguage,
    messenger: new Messenger(client, db, definition.id),
    matrix: client,
  };
  const behaviour = definition.create(services, options);
  const syncHealth = new SyncHealth();
  const syncMarks = new SyncMarks(db, definition.id);
  const previousRunSyncedAt = syncMarks.lastSyncedAt();
  const metrics = new BotMetrics(definition.id, () => clock.now(), () => syncHealth.lastSync(), () => deviceTrust.crossSigned);
  const router = createRouter([...coreCommands(services.preferences), ...behaviour.commands], { botName: definition.name, logger });
  const handler = new BotEventHandler({
    botId: definition.id,
    client,
    logger,
    metrics,
    router,
    ledger: new EventLedger(db, definition.id, clock),
    sessionNotices: new UnverifiedSessionNotices(db, clock),
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

  const health = {
    health: () => {
      const sync = syncHealth.health();
      return { ...sync, ready: sync.ready && deviceTrust.crossSigned, deviceCrossSigned: deviceTrust.crossSigned };
    },
  };
  const http = await startHttpServer(settings.http.host, settings.http.port, health, metrics.registry, behaviour.httpRoutes);
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
