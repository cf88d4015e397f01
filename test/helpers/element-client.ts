// A test client that behaves like Element as it ships since April 2026 (MSC4153, "exclude
// insecure devices"): Rust crypto, a fresh device per login, cross-signed by its owner at
// login (a first login makes the user's identity and keeps it in secret storage, a later
// one restores it with the recovery key, as Element's "verify with recovery key" does),
// and device isolation "only signed devices": it encrypts only to sessions their owners
// cross-signed and does not decrypt from others. `createLegacyElementClient` is the older,
// permissive Element, for the one test that is about it.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import {
  ClientEvent,
  createClient,
  EventType,
  MatrixEventEvent,
  Preset,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
  Visibility,
  type ICreateRoomOpts,
  type MatrixClient,
  type MatrixEvent,
  type RoomMember,
  type TimelineEvents,
} from "matrix-js-sdk";
import { AllDevicesIsolationMode, OnlySignedDevicesIsolationMode, type CryptoApi } from "matrix-js-sdk/lib/crypto-api/index.js";
import { passwordAuth } from "../../bots/core/matrix/cross-signing.ts";
import { logger as sdkGlobalLogger, type Logger } from "matrix-js-sdk/lib/logger.js";
import type { TestUser } from "./users.ts";
import type {} from "./provided.ts";
import { until } from "./until.ts";

const DEFAULT_TIMEOUT_MS = 30_000;
const MEGOLM = "m.megolm.v1.aes-sha2";

export interface ElementClient {
  readonly userId: string;
  readonly deviceId: string;
  /** The underlying SDK client, for what the helpers below do not cover. */
  readonly client: MatrixClient;
  createEncryptedDm(otherUserId: string): Promise<string>;
  createRoom(opts: ICreateRoomOpts): Promise<string>;
  joinRoom(roomId: string): Promise<void>;
  sendText(roomId: string, body: string): Promise<string>;
  sendEvent(roomId: string, type: string, content: Record<string, unknown>): Promise<string>;
  waitForMessage(
    roomId: string,
    predicate: (event: MatrixEvent) => boolean,
    timeoutMs?: number,
  ): Promise<MatrixEvent>;
  waitForJoin(roomId: string, userId: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const VERBOSE = process.env.MATRIX_SDK_LOG === "debug";
const QUIET_METHODS = new Set(["trace", "debug", "info", "log"]);
// Synapse's default push rules lack some unstable rule ids; the SDK warns for every client.
const KNOWN_NOISE = /^(Adding|Missing) default global \w+ push rule /;

// MATRIX_SDK_LOG=debug shows everything; by default only warnings and errors.
function testLogger(prefix: string): Logger {
  const noop = (): void => {};
  const print =
    (fn: (...a: unknown[]) => void) =>
    (...msg: unknown[]): void => {
      if (!VERBOSE && typeof msg[0] === "string" && KNOWN_NOISE.test(msg[0])) return;
      fn(prefix, ...msg);
    };
  return {
    trace: VERBOSE ? print(console.debug) : noop,
    debug: VERBOSE ? print(console.debug) : noop,
    info: VERBOSE ? print(console.info) : noop,
    warn: print(console.warn),
    error: print(console.error),
    getChild: (namespace: string) => testLogger(`${prefix}${namespace}`),
  };
}

// Parts of the SDK still log through its global loglevel logger (scheduler, MatrixRTC…).
// Its children copy the parent's methodFactory, so wrapping the root quiets them too.
interface LoglevelLogger {
  methodFactory: (method: string, level: number, name: string | symbol) => (...msg: unknown[]) => void;
  rebuild(): void;
}
function quietSdkGlobalLogger(): void {
  if (VERBOSE) return;
  const root = sdkGlobalLogger as unknown as LoglevelLogger;
  const original = root.methodFactory;
  root.methodFactory = (method, level, name) => (QUIET_METHODS.has(method) ? () => {} : original(method, level, name));
  root.rebuild();
}
quietSdkGlobalLogger();

function withTimeout<T>(what: string | (() => string), timeoutMs: number, run: (done: (v: T) => void, fail: (e: Error) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let cleanup = (): void => {};
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms: ${typeof what === "string" ? what : what()}`))), timeoutMs);
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      settle();
    };
    cleanup = run(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
    if (settled) cleanup();
  });
}

async function passwordLogin(baseUrl: string, user: TestUser): Promise<{ accessToken: string; deviceId: string }> {
  const anonymous = createClient({ baseUrl, logger: testLogger(`[login ${user.userId}] `) });
  const res = await anonymous.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: user.userId },
    password: user.password,
    initial_device_display_name: "Element (test)",
  });
  return { accessToken: res.access_token, deviceId: res.device_id };
}

/** Each test user's recovery key, made at their first verified login (a test file is one process). */
const recoveryKeys = new Map<string, Uint8Array<ArrayBuffer>>();

export interface SessionOptions {
  /**
   * false: a session nobody confirmed (not cross-signed), as a script with the bare SDK or a
   * stolen password would make. Strict Element cannot even send from such a session, so it
   * shares keys the permissive way.
   */
  readonly verify?: boolean;
  /** The recovery key of an identity made elsewhere (e.g. by the demo), to confirm this session with. */
  readonly recoveryKey?: Uint8Array;
}

/** `baseUrl` defaults to the suite's Synapse; benchmarks pass their own. */
export async function createElementClient(user: TestUser, baseUrl: string = inject("synapse").baseUrl, options: SessionOptions = {}): Promise<ElementClient> {
  return startElementClient({ userId: user.userId, ...(await passwordLogin(baseUrl, user)) }, baseUrl, { ...options, password: user.password });
}

/** Element as it was before MSC4153: cross-signs its own session at login, but shares keys with every device, verified or not, and reads from any. */
export async function createLegacyElementClient(user: TestUser, baseUrl: string = inject("synapse").baseUrl): Promise<ElementClient> {
  return startElementClient({ userId: user.userId, ...(await passwordLogin(baseUrl, user)) }, baseUrl, { legacy: true });
}

/** The recovery key a user's identity was stored under, as Element shows it to them once (for tests restoring it elsewhere). */
export function recoveryKeyOf(userId: string): Uint8Array | undefined {
  return recoveryKeys.get(userId);
}

/** The same client, for a device logged in another way (e.g. single sign-on, `m.login.token`). */
export async function startElementClient(
  session: { userId: string; accessToken: string; deviceId: string },
  baseUrl: string,
  options: SessionOptions & { password?: string; legacy?: boolean } = {},
): Promise<ElementClient> {
  const { userId, accessToken, deviceId } = session;
  if (options.recoveryKey) recoveryKeys.set(userId, new Uint8Array(options.recoveryKey));
  const client = createClient({
    baseUrl,
    userId,
    accessToken,
    deviceId,
    logger: testLogger(`[${userId}/${deviceId}] `),
    cryptoCallbacks: {
      getSecretStorageKey: async ({ keys }) => {
        const key = recoveryKeys.get(userId);
        const keyId = Object.keys(keys)[0];
        return key && keyId ? [keyId, key] : null;
      },
    },
  });
  try {
    // Memory only: a test device lives as long as the test.
    await client.initRustCrypto({ useIndexedDB: false });
    const crypto = client.getCrypto();
    if (!crypto) throw new Error("Rust crypto did not initialise");
    const permissive = options.legacy === true || options.verify === false;
    crypto.setDeviceIsolationMode(permissive ? new AllDevicesIsolationMode(false) : new OnlySignedDevicesIsolationMode());

    const prepared = withTimeout<void>(`${userId}: first sync`, DEFAULT_TIMEOUT_MS, (done, fail) => {
      const onSync = (state: SyncState, _prev: SyncState | null, data?: { error?: Error }): void => {
        if (state === SyncState.Prepared) done();
        else if (state === SyncState.Error) fail(data?.error ?? new Error(`${userId}: sync error`));
      };
      client.on(ClientEvent.Sync, onSync);
      return () => client.off(ClientEvent.Sync, onSync);
    });
    prepared.catch(() => {}); // awaited below; avoids an unhandled rejection if startClient throws
    await client.startClient({ initialSyncLimit: 20 });
    await prepared;

    // Others can only encrypt for this device once its keys are on the server.
    await until(`${userId}: device keys uploaded`, DEFAULT_TIMEOUT_MS, async () => {
      const keys = await client.downloadKeysForUsers([userId]);
      return keys.device_keys?.[userId]?.[deviceId] !== undefined;
    });
    if (options.verify !== false) await crossSignThisSession(crypto, userId, deviceId, options.password);
  } catch (err) {
    client.stopClient();
    throw err;
  }
  return makeElementClient(client, userId, deviceId);
}

/**
 * What Element does at login: a user without an identity gets one (kept in secret storage
 * under a new recovery key); a user who has one confirms this session with the recovery key.
 */
async function crossSignThisSession(crypto: CryptoApi, userId: string, deviceId: string, password: string | undefined): Promise<void> {
  if (await crypto.userHasCrossSigningKeys(userId, true)) {
    if (!recoveryKeys.has(userId)) throw new Error(`${userId} has an identity made elsewhere: pass its recovery key`);
    await crypto.bootstrapCrossSigning({});
  } else {
    const key = new Uint8Array(randomBytes(32));
    recoveryKeys.set(userId, key);
    await crypto.bootstrapSecretStorage({ setupNewSecretStorage: true, createSecretStorageKey: async () => ({ privateKey: key }) });
    await crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys: passwordAuth(userId, password) });
  }
  await until(`${userId}: session ${deviceId} cross-signed`, DEFAULT_TIMEOUT_MS, async () => {
    await crypto.userHasCrossSigningKeys(userId, true); // asks the homeserver again, signatures included
    return (await crypto.getDeviceVerificationStatus(userId, deviceId))?.signedByOwner === true;
  });
}

function makeElementClient(client: MatrixClient, userId: string, deviceId: string): ElementClient {
  const crypto = client.getCrypto()!;

  // The SDK silently sends in clear text to a room it has not synced yet: wait for it.
  const waitForEncryptedRoom = (roomId: string): Promise<void> =>
    until(`${userId}: room ${roomId} known and encrypted`, DEFAULT_TIMEOUT_MS, async () => {
      if (!client.getRoom(roomId)) return false;
      return crypto.isEncryptionEnabledInRoom(roomId);
    });

  const self: ElementClient = {
    userId,
    deviceId,
    client,

    async createRoom(opts) {
      const { room_id: roomId } = await client.createRoom(opts);
      await until(`${userId}: room ${roomId} synced`, DEFAULT_TIMEOUT_MS, async () => client.getRoom(roomId) !== null);
      return roomId;
    },

    async createEncryptedDm(otherUserId) {
      const roomId = await self.createRoom({
        preset: Preset.TrustedPrivateChat,
        visibility: Visibility.Private,
        is_direct: true,
        invite: [otherUserId],
        initial_state: [{ type: EventType.RoomEncryption, state_key: "", content: { algorithm: MEGOLM } }],
      });
      // Element records DMs in m.direct so the room is shown as a conversation with that person.
      const direct = client.getAccountData(EventType.Direct)?.getContent<Record<string, string[]>>() ?? {};
      await client.setAccountData(EventType.Direct, { ...direct, [otherUserId]: [...(direct[otherUserId] ?? []), roomId] });
      await waitForEncryptedRoom(roomId);
      return roomId;
    },

    async joinRoom(roomId) {
      await client.joinRoom(roomId);
      await until(`${userId}: joined ${roomId}`, DEFAULT_TIMEOUT_MS, async () => client.getRoom(roomId)?.getMyMembership() === "join");
    },

    async sendText(roomId, body) {
      return self.sendEvent(roomId, EventType.RoomMessage, { msgtype: "m.text", body });
    },

    async sendEvent(roomId, type, content) {
      await waitForEncryptedRoom(roomId);
      const res = await client.sendEvent(roomId, type as keyof TimelineEvents, content as TimelineEvents[keyof TimelineEvents]);
      return res.event_id;
    },

    waitForMessage(roomId, predicate, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const undecryptable = new Set<string>();
      const what = (): string =>
        `${userId}: matching message in ${roomId}` +
        (undecryptable.size > 0 ? ` (undecryptable: ${[...undecryptable].join("; ")})` : "");
      return withTimeout<MatrixEvent>(what, timeoutMs, (done, fail) => {
        const consider = (event: MatrixEvent): void => {
          if (event.getRoomId() !== roomId || event.getSender() === userId) return;
          // Decryption is asynchronous: such events come back through MatrixEventEvent.Decrypted.
          if (event.isBeingDecrypted() || event.shouldAttemptDecryption()) return;
          if (event.isDecryptionFailure()) {
            undecryptable.add(`${event.getId()}: ${event.decryptionFailureReason ?? "unknown"}`);
            return;
          }
          try {
            if (predicate(event)) done(event);
          } catch (err) {
            fail(err instanceof Error ? err : new Error(String(err)));
          }
        };
        const onTimeline = (event: MatrixEvent): void => consider(event);
        const onDecrypted = (event: MatrixEvent): void => consider(event);
        client.on(RoomEvent.Timeline, onTimeline);
        client.on(MatrixEventEvent.Decrypted, onDecrypted);
        for (const event of client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []) consider(event);
        return () => {
          client.off(RoomEvent.Timeline, onTimeline);
          client.off(MatrixEventEvent.Decrypted, onDecrypted);
        };
      });
    },

    waitForJoin(roomId, memberId, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return withTimeout<void>(`${userId}: ${memberId} joined ${roomId}`, timeoutMs, (done) => {
        const onMembership = (_event: MatrixEvent, member: RoomMember): void => {
          if (member.roomId === roomId && member.userId === memberId && member.membership === "join") done();
        };
        client.on(RoomMemberEvent.Membership, onMembership);
        if (client.getRoom(roomId)?.getMember(memberId)?.membership === "join") done();
        return () => client.off(RoomMemberEvent.Membership, onMembership);
      });
    },

    async stop() {
      // stopClient also stops the Rust OlmMachine and its outgoing-request loop.
      client.stopClient();
      client.removeAllListeners();
    },
  };
  return self;
}
