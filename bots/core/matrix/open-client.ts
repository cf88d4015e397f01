import { createClient, IndexedDBStore, type MatrixClient } from "matrix-js-sdk";
import type { Logger } from "../logger.ts";
import { pickOurSecretStorageKey } from "./cross-signing.ts";
import { installDiskIndexedDb } from "./indexeddb.ts";
import { sdkLogger } from "./sdk-logger.ts";
import { sendScheduler } from "./send-queue.ts";
import { pacedSyncFetch } from "./sync-pace.ts";

export interface DeviceSession {
  readonly homeserverUrl: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly accessToken: string;
}

const SYNC_STORE_NAME = "bot-sync";

export interface ClientOptions {
  /** Starts a /sync at most this often (see pacedSyncFetch); absent: each sync right after the previous one. */
  readonly minSyncIntervalMs?: number;
}

/**
 * A client whose sync state (IndexedDBStore) and crypto state (Rust crypto) both live in
 * the on-disk IndexedDB at `cryptoDir`, the crypto part encrypted with `storageKey`.
 * `secretStorageKey` opens the account's secret storage (the bot's recovery key).
 */
export async function openPersistentClient(
  session: DeviceSession,
  cryptoDir: string,
  storageKey: Uint8Array,
  logger: Logger,
  secretStorageKey?: Uint8Array,
  options: ClientOptions = {},
): Promise<MatrixClient> {
  installDiskIndexedDb(cryptoDir);
  const store = new IndexedDBStore({ indexedDB: globalThis.indexedDB, dbName: SYNC_STORE_NAME });
  const client: MatrixClient = createClient({
    baseUrl: session.homeserverUrl,
    userId: session.userId,
    deviceId: session.deviceId,
    accessToken: session.accessToken,
    store,
    logger: sdkLogger(logger),
    scheduler: sendScheduler(),
    ...(options.minSyncIntervalMs ? { fetchFn: pacedSyncFetch(options.minSyncIntervalMs) } : {}),
    cryptoCallbacks: secretStorageKey ? { getSecretStorageKey: ({ keys }) => pickOurSecretStorageKey(client, secretStorageKey, keys) } : {},
  });
  await store.startup();
  await client.initRustCrypto({ storageKey });
  return client;
}
