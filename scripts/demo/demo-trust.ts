import { ClientEvent, createClient, SyncState, type MatrixClient } from "matrix-js-sdk";
import { decodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { UserId, type OlmMachine, type SignatureUploadRequest } from "@matrix-org/matrix-sdk-crypto-wasm";
import type { Logger } from "../../bots/core/logger.ts";
import { passwordAuth } from "../../bots/core/matrix/cross-signing.ts";
import { sdkLogger } from "../../bots/core/matrix/sdk-logger.ts";

export interface DemoTrustAccount {
  readonly userId: string;
  readonly password: string;
  /** The account's recovery key, as Element asks for it ("Confirm your identity" › recovery key). */
  readonly recoveryKey: string;
}

/** What the SDK keeps private: signing another person's identity without an interactive verification. */
interface RustCryptoInternals {
  readonly olmMachine: OlmMachine;
  readonly outgoingRequestProcessor: { makeOutgoingRequest(request: SignatureUploadRequest): Promise<unknown> };
}

/**
 * Prepares a demo account as a member who verified the CPTS's bots: gives the account a
 * cross-signing identity kept in secret storage under its recovery key (made once), then
 * signs each bot's identity with it. In Element, after confirming their identity with the
 * recovery key, the demo members see every bot as verified. Idempotent; the temporary
 * session used for this is logged out.
 */
export async function trustBotsAs(homeserverUrl: string, account: DemoTrustAccount, botUserIds: readonly string[], logger: Logger): Promise<void> {
  const login = await createClient({ baseUrl: homeserverUrl, logger: sdkLogger(logger) }).loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: account.userId },
    password: account.password,
    initial_device_display_name: "Préparation de la démo (temporaire)",
  });
  const key = decodeRecoveryKey(account.recoveryKey);
  const client = createClient({
    baseUrl: homeserverUrl,
    userId: login.user_id,
    deviceId: login.device_id,
    accessToken: login.access_token,
    logger: sdkLogger(logger),
    cryptoCallbacks: { getSecretStorageKey: async ({ keys }) => [Object.keys(keys)[0]!, key] },
  });
  try {
    await client.initRustCrypto({ useIndexedDB: false });
    await startAndSync(client);
    const crypto = client.getCrypto()!;
    if (await crypto.userHasCrossSigningKeys(account.userId, true)) {
      await crypto.bootstrapCrossSigning({});
    } else {
      await crypto.bootstrapSecretStorage({ setupNewSecretStorage: true, createSecretStorageKey: async () => ({ privateKey: key, encodedPrivateKey: account.recoveryKey }) });
      await crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys: passwordAuth(account.userId, account.password) });
    }
    const internals = crypto as unknown as RustCryptoInternals;
    const bots = botUserIds.map((id) => new UserId(id));
    await internals.olmMachine.updateTrackedUsers(bots.map((u) => u.clone()));
    await internals.outgoingRequestProcessor.makeOutgoingRequest(internals.olmMachine.queryKeysForUsers(bots.map((u) => u.clone())) as never);
    for (const bot of bots) {
      const identity = await internals.olmMachine.getIdentity(bot);
      if (!identity) throw new Error(`${bot.toString()} has no cross-signing identity yet`);
      if ("verify" in identity && !identity.isVerified()) await internals.outgoingRequestProcessor.makeOutgoingRequest(await identity.verify());
      identity.free();
    }
  } finally {
    client.stopClient();
    await client.logout(true).catch(() => {});
  }
}

function startAndSync(client: MatrixClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.on(ClientEvent.Sync, (state) => {
      if (state === SyncState.Prepared) resolve();
      if (state === SyncState.Error) reject(new Error("the demo preparation could not sync"));
    });
    void client.startClient({ initialSyncLimit: 1 });
  });
}
