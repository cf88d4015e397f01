import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MatrixError, type MatrixClient } from "matrix-js-sdk";
import type { AuthDict, UIAuthCallback } from "matrix-js-sdk/lib/interactive-auth.js";
import { nextIdentityStep, type IdentityFacts, type IdentityRefusal, type IdentityStep } from "../identity/identity-plan.ts";
import type { Logger } from "../logger.ts";

const CROSS_SIGNING_SECRETS = ["m.cross_signing.master", "m.cross_signing.self_signing", "m.cross_signing.user_signing"] as const;
/** More than the longest sequence of steps the plan can take. */
const MAX_STEPS = 6;

export interface IdentityContext {
  readonly botId: string;
  readonly userId: string;
  readonly deviceId: string;
  /** For the interactive authentication that replacing published keys asks for. */
  readonly password: string;
  readonly secretStorageKey: Uint8Array;
  /** A file whose presence asks for a new identity (written by `npm run bots:reset-identity`). */
  readonly resetMarkerFile: string;
  readonly logger: Logger;
}

/** The file `npm run bots:reset-identity` leaves in a bot's data folder; the next start makes a new identity, then removes it. */
export function resetMarkerOf(botDataDir: string): string {
  return join(botDataDir, "identity-reset-requested");
}

export class IdentityRefused extends Error {
  override readonly name = "IdentityRefused";
  readonly reason: IdentityRefusal;
  constructor(reason: IdentityRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Makes sure the bot's device is cross-signed by the bot's lasting identity, whose private
 * keys are kept in secret storage under the recovery key. Steps are decided by the pure
 * plan from a fresh look at the account each time (see identity-plan.ts).
 */
export async function ensureCrossSignedDevice(client: MatrixClient, ctx: IdentityContext): Promise<void> {
  const started = Date.now();
  const taken: IdentityStep[] = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    const facts = await readIdentityFacts(client, ctx);
    const decision = nextIdentityStep(facts);
    if (decision.kind === "done") {
      ctx.logger.info({ deviceId: ctx.deviceId, steps: taken, identityMs: Date.now() - started }, taken.length ? "cross-signing identity set up" : "cross-signing identity in place");
      return;
    }
    if (decision.kind === "refuse") throw new IdentityRefused(decision.reason, refusalMessage(decision.reason, ctx.botId));
    await performStep(client, ctx, decision.step);
    taken.push(decision.step);
    ctx.logger.info({ step: decision.step, before: facts }, "cross-signing step done");
  }
  throw new Error(`the cross-signing set-up did not settle after ${MAX_STEPS} steps (${taken.join(", ")})`);
}

export async function readIdentityFacts(client: MatrixClient, ctx: Pick<IdentityContext, "userId" | "deviceId" | "secretStorageKey" | "resetMarkerFile">): Promise<IdentityFacts> {
  const crypto = cryptoOf(client);
  // The homeserver's own answer: the SDK's store also holds keys made here but never
  // published (a start killed mid-way), which must not count as the published identity.
  const published = await publishedIdentity(client, ctx.userId, ctx.deviceId);
  const status = await crypto.getCrossSigningStatus();
  const cached = status.privateKeysCachedLocally;
  const allCached = cached.masterKey && cached.selfSigningKey && cached.userSigningKey;
  const localMaster = allCached ? await crypto.getCrossSigningKeyId() : null;
  const localKeys = !allCached ? "none" : published.masterKey !== undefined && localMaster === published.masterKey ? "match" : "mismatch";
  const defaultKey = await client.secretStorage.getKey();
  let secretStorageKey: IdentityFacts["secretStorageKey"] = "none";
  if (defaultKey) secretStorageKey = (await opensKey(client, ctx.secretStorageKey, defaultKey[1])) ? "ours" : "other";
  const storage = await crypto.getSecretStorageStatus();
  return {
    resetRequested: existsSync(ctx.resetMarkerFile),
    secretStorageKey,
    keysInSecretStorage: CROSS_SIGNING_SECRETS.every((name) => storage.secretStorageKeyValidityMap[name] === true),
    published: published.masterKey !== undefined,
    localKeys,
    deviceSigned: published.deviceSigned,
  };
}

/** What the homeserver publishes of the bot's identity: its master key, and whether this device carries its self-signing key's signature. */
export async function publishedIdentity(client: MatrixClient, userId: string, deviceId: string): Promise<{ masterKey?: string; deviceSigned: boolean }> {
  const keys = await client.downloadKeysForUsers([userId]);
  const masterKey = firstKeyOf(keys.master_keys?.[userId]);
  const selfSigningKey = firstKeyOf(keys.self_signing_keys?.[userId]);
  const signatures = keys.device_keys?.[userId]?.[deviceId]?.signatures?.[userId] ?? {};
  const deviceSigned = selfSigningKey !== undefined && `ed25519:${selfSigningKey}` in signatures;
  return { ...(masterKey ? { masterKey } : {}), deviceSigned };
}

function firstKeyOf(key: { keys: Record<string, string> } | undefined): string | undefined {
  return key ? Object.values(key.keys)[0] : undefined;
}

async function performStep(client: MatrixClient, ctx: IdentityContext, step: IdentityStep): Promise<void> {
  const crypto = cryptoOf(client);
  const authUploadDeviceSigningKeys = passwordAuth(ctx.userId, ctx.password);
  const adoptSecretStorage = (): Promise<void> =>
    crypto.bootstrapSecretStorage({ setupNewSecretStorage: true, createSecretStorageKey: async () => ({ privateKey: new Uint8Array(ctx.secretStorageKey), keyInfo: { name: `CPTS ${ctx.botId} bot` } }) });
  switch (step) {
    case "reset-identity":
      await adoptSecretStorage();
      await crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys });
      rmSync(ctx.resetMarkerFile, { force: true });
      return;
    case "adopt-secret-storage":
      return adoptSecretStorage();
    case "create-identity":
      // The SDK stores the new private keys in secret storage before it publishes the public ones.
      return crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys });
    case "restore-from-secret-storage":
    case "save-to-secret-storage":
      // The SDK imports from secret storage (and signs this device) or exports to it, as needed.
      return crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys });
    case "sign-device":
      return crypto.crossSignDevice(ctx.deviceId);
  }
}

/** The callback the SDK calls when the homeserver asks who is uploading keys (interactive authentication with the password). */
export function passwordAuth(userId: string, password: string | undefined): UIAuthCallback<void> {
  return async (makeRequest) => {
    try {
      await makeRequest(null);
    } catch (err) {
      const session = err instanceof MatrixError && err.httpStatus === 401 ? (err.data["session"] as string | undefined) : undefined;
      if (session === undefined || password === undefined) throw err;
      const auth: AuthDict = { type: "m.login.password", identifier: { type: "m.id.user", user: userId }, password, session };
      await makeRequest(auth);
    }
  };
}

/** For the SDK's secret-storage callback: our key, for whichever of the asked keys it opens. */
export async function pickOurSecretStorageKey(
  client: MatrixClient,
  key: Uint8Array,
  asked: Record<string, Parameters<MatrixClient["secretStorage"]["checkKey"]>[1]>,
): Promise<[string, Uint8Array<ArrayBuffer>] | null> {
  for (const [keyId, info] of Object.entries(asked)) {
    if (await opensKey(client, key, info)) return [keyId, new Uint8Array(key)];
  }
  return null;
}

async function opensKey(client: MatrixClient, key: Uint8Array, info: Parameters<MatrixClient["secretStorage"]["checkKey"]>[1]): Promise<boolean> {
  try {
    return await client.secretStorage.checkKey(new Uint8Array(key), info);
  } catch {
    return false;
  }
}

function cryptoOf(client: MatrixClient): NonNullable<ReturnType<MatrixClient["getCrypto"]>> {
  const crypto = client.getCrypto();
  if (!crypto) throw new Error("end-to-end encryption is not initialised");
  return crypto;
}

function refusalMessage(reason: IdentityRefusal, botId: string): string {
  const reset = `if the identity is truly lost, make a new one with \`npm run bots:reset-identity -- ${botId}\` (users will see that the bot's identity changed)`;
  switch (reason) {
    case "other-recovery-key":
      return `bots.${botId}.recoveryKeyFile: this recovery key does not open the secret storage that holds the bot's identity; restore the original recovery key file, or ${reset}`;
    case "keys-lost":
      return `bots.${botId}: the bot's published identity has no private keys in its secret storage nor in its crypto store; ${reset}`;
    case "replaced-elsewhere":
      return `bots.${botId}: the bot's published identity was replaced by another session (someone reset it from another client); ${reset}`;
  }
}
