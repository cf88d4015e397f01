// Child process of ensureDevice(): logs in once and builds the crypto store in a staging
// folder. Reads one JSON line (DeviceInitRequest) on stdin; exits 0 once the device keys
// are on the server. Exits at once if the parent goes away.
import "./quiet-sdk.ts";
import { writeFileSync, openSync, fsyncSync, closeSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ClientEvent, createClient, SyncState, type MatrixClient } from "matrix-js-sdk";
import { createLogger } from "../logger.ts";
import { SESSION_FILE, type DeviceInitRequest } from "./device-session.ts";
import { openPersistentClient, type DeviceSession } from "./open-client.ts";

const logger = createLogger("bot-device-init");
const KEYS_VISIBLE_TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const first = await new Promise<string>((resolve) => lines.once("line", resolve));
  process.stdin.on("end", () => process.exit(3));
  const request = JSON.parse(first) as DeviceInitRequest;

  const login = await createClient({ baseUrl: request.homeserverUrl }).loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: request.userId },
    password: request.password,
    initial_device_display_name: request.deviceDisplayName,
  });
  const session: DeviceSession = {
    homeserverUrl: request.homeserverUrl,
    userId: login.user_id,
    deviceId: login.device_id,
    accessToken: login.access_token,
  };
  writeDurably(join(request.stagingDir, SESSION_FILE), JSON.stringify(session));

  const client = await openPersistentClient(session, request.stagingDir, Buffer.from(request.storageKeyBase64, "base64"), logger);
  await startAndWaitPrepared(client);
  await waitUntilOwnKeysPublished(client, session);
  client.stopClient();
  await client.store.save(true);
  process.exit(0);
}

function startAndWaitPrepared(client: MatrixClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.on(ClientEvent.Sync, (state) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) resolve();
      if (state === SyncState.Error) reject(new Error("first sync failed"));
    });
    void client.startClient({ initialSyncLimit: 1 });
  });
}

async function waitUntilOwnKeysPublished(client: MatrixClient, session: DeviceSession): Promise<void> {
  const deadline = Date.now() + KEYS_VISIBLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await client.downloadKeysForUsers([session.userId]);
    if (answer.device_keys?.[session.userId]?.[session.deviceId]) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("device keys did not reach the homeserver in time");
}

function writeDurably(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  const fd = openSync(file, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

main().catch((err: unknown) => {
  logger.error({ err: (err as Error).message }, "device initialisation failed");
  process.exit(1);
});
