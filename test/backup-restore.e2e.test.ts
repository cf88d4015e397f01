// `npm run backup` / `npm run restore` on a running system laid out as `npm start` lays it
// out (synapse/, bots/, secrets/, bots.yaml): encrypted messages and a file exchanged, a
// backup taken while Synapse and the bot run, everything stopped, the archive restored
// into a fresh folder, and the system started from it: the bot is the same device and still
// decrypts, the history and the file are there.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Direction, type MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { readSession, cryptoDirOf } from "../bots/core/matrix/device-session.ts";
import { GRAND_DOUAI_FILE } from "../bots/directory/territory.ts";
import { findFreePort } from "../scripts/lib/free-port.ts";
import { registerUser } from "../scripts/lib/synapse-admin.ts";
import { startSynapse, type RunningSynapse } from "../scripts/lib/synapse.ts";
import { spawnBot, waitReady, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import type { TestUser } from "./helpers/users.ts";

const run = promisify(execFile);
const script = (name: string): string => fileURLToPath(new URL(`../scripts/${name}.ts`, import.meta.url));
const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");

interface DeviceKeys {
  readonly [deviceId: string]: { keys: Record<string, string> };
}

let work: string;
let synapse: RunningSynapse | undefined;
let bot: BotProcess | undefined;
const clients: ElementClient[] = [];

/** A data folder as `npm start` makes it (scripts/demo/seed.ts), with the accueil bot. */
async function newSystem(root: string): Promise<{ synapse: RunningSynapse; setup: BotSetup; user: TestUser }> {
  const started = await startSynapse({ mode: "test", dataDir: join(root, "synapse"), policyDirectory: inject("policyDirectory") });
  const secrets = join(root, "secrets");
  mkdirSync(secrets, { mode: 0o700 });
  const botPassword = randomBytes(16).toString("hex");
  writeFileSync(join(secrets, "bot-accueil.password"), botPassword, { mode: 0o600 });
  writeFileSync(join(secrets, "bot-accueil.store-secret"), randomBytes(32).toString("base64url"), { mode: 0o600 });
  writeFileSync(join(secrets, "bot-accueil.recovery-key"), randomBytes(32).toString("base64url"), { mode: 0o600 });
  // Named as the test Synapse's policy names bots (synapse-config/test.yaml: "bot-*").
  const { userId } = await registerUser(started, { localpart: "bot-accueil", password: botPassword, displayName: "Accueil" });
  const httpPort = await findFreePort();
  const config = {
    homeserverUrl: started.baseUrl,
    dataDir: "bots",
    defaultLanguage: "fr",
    invites: { acceptFrom: "local-users", allowedUsers: [], allowedServers: [] },
    cpts: {
      name: "CPTS Grand Douai",
      coordinators: [`@coordination:${started.serverName}`],
      territory: { communes: (JSON.parse(readFileSync(GRAND_DOUAI_FILE, "utf8")) as { communes: string[] }).communes },
    },
    bots: {
      accueil: {
        userId,
        passwordFile: "secrets/bot-accueil.password",
        storageSecretFile: "secrets/bot-accueil.store-secret",
        recoveryKeyFile: "secrets/bot-accueil.recovery-key",
        displayName: "Accueil",
        http: { host: "127.0.0.1", port: httpPort },
      },
    },
  };
  writeFileSync(join(root, "bots.yaml"), toYaml(config));
  const password = randomBytes(12).toString("base64url");
  const user = { userId: (await registerUser(started, { localpart: "dr.dupont", password })).userId, localpart: "dr.dupont", password };
  return { synapse: started, setup: { botId: "accueil", userId, configFile: join(root, "bots.yaml"), dataDir: join(root, "bots"), httpPort }, user };
}

/** The bot as `npm start` runs it, from a data folder; with its setup's config file. */
async function startBot(setup: BotSetup): Promise<BotProcess> {
  bot = spawnBot(setup);
  await waitReady(setup, bot);
  return bot;
}

async function signIn(user: TestUser, baseUrl: string): Promise<ElementClient> {
  const client = await createElementClient(user, baseUrl);
  clients.push(client);
  return client;
}

async function stopClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
}

async function botDevices(client: ElementClient, botUserId: string): Promise<DeviceKeys> {
  const keys = await client.client.downloadKeysForUsers([botUserId]);
  return (keys.device_keys?.[botUserId] ?? {}) as DeviceKeys;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "cpts-backup-e2e-"));
});

afterAll(async () => {
  await stopClients();
  await bot?.stop();
  await synapse?.stop();
  if (process.env["KEEP_SYNAPSE_DATA"]) console.log(`[backup-restore] data kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
});

describe("backup and restore of the local system", () => {
  it("backs up while running, restores into a fresh folder, and the bot is the same device and still decrypts", async () => {
    const original = join(work, "data");
    mkdirSync(original, { mode: 0o700 });
    const system = await newSystem(original);
    synapse = system.synapse;
    const { setup, user } = system;
    const { baseUrl, serverName } = system.synapse;
    const port = Number(new URL(baseUrl).port);
    await startBot(setup);

    // Before: an encrypted conversation with the bot, and a file on the server.
    const alice = await signIn(user, baseUrl);
    const dm = await alice.createEncryptedDm(setup.userId);
    await alice.waitForJoin(dm, setup.userId);
    const ask = async (client: ElementClient, text: string): Promise<MatrixEvent> => {
      const id = await client.sendText(dm, text);
      return client.waitForMessage(dm, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(id));
    };
    const firstPing = await ask(alice, "!ping");
    expect(body(firstPing)).toContain("pong");
    expect(firstPing.isEncrypted()).toBe(true);
    const fileBytes = randomBytes(4096);
    const upload = await alice.client.uploadContent(fileBytes, { type: "application/octet-stream", name: "compte-rendu.bin" });
    const deviceBefore = readSession(cryptoDirOf(join(original, "bots", "accueil")))!.deviceId;
    const keysBefore = await botDevices(alice, setup.userId);
    expect(Object.keys(keysBefore)).toEqual([deviceBefore]);

    // The backup, while Synapse and the bot run.
    // Encrypted with a key kept apart, as a scheduled off-site backup is (docs/deploy.md).
    const keyFile = join(work, "backup.key");
    writeFileSync(keyFile, randomBytes(32).toString("hex"), { mode: 0o600 });
    const backup = await run(process.execPath, [script("backup"), "--data", original, "--out", join(work, "backups", "cpts.tar.gz"), "--key-file", keyFile]);
    expect(backup.stdout).toMatch(/Backed up \d+ files/);
    const archive = join(work, "backups", "cpts.tar.gz.enc");
    expect(existsSync(archive)).toBe(true);
    expect(existsSync(join(work, "backups", "cpts.tar.gz"))).toBe(false);
    console.log(`[backup-restore] ${backup.stdout.split("\n")[0]}`);

    await stopClients();
    await bot!.stop();
    bot = undefined;
    await synapse.stop();
    synapse = undefined;

    // Restore: never over existing data; into a fresh folder.
    const noKey = await run(process.execPath, [script("restore"), archive, "--data", join(work, "no-key")]).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(noKey?.stderr).toContain("--key-file");
    const refused = await run(process.execPath, [script("restore"), archive, "--data", original, "--key-file", keyFile]).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain("is not empty");
    const fresh = join(work, "restored");
    const restoreStarted = Date.now();
    const restored = await run(process.execPath, [script("restore"), archive, "--data", fresh, "--key-file", keyFile]);
    expect(restored.stdout).toContain(`into ${fresh}`);
    console.log(`[backup-restore] ${restored.stdout.split("\n")[0]} (CLI ${Date.now() - restoreStarted} ms)`);

    // The system from the restored folder (same port: bots.yaml names the homeserver's URL).
    synapse = await startSynapse({ mode: "test", dataDir: join(fresh, "synapse"), port, policyDirectory: inject("policyDirectory") });
    // A new device of the user speaks first in the old conversation, while the bot is still
    // down: the room key reaches the bot through the keys the restored homeserver hands out.
    const aliceAgain = await signIn(user, baseUrl);
    await aliceAgain.waitForJoin(dm, setup.userId);
    const pingId = await aliceAgain.sendText(dm, "!ping");
    const restoredSetup: BotSetup = { ...setup, configFile: join(fresh, "bots.yaml"), dataDir: join(fresh, "bots") };
    const botStarted = Date.now();
    const restartedBot = await startBot(restoredSetup);
    const pong = await aliceAgain.waitForMessage(dm, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(pingId));
    console.log(`[backup-restore] restored bot answered ${Date.now() - botStarted} ms after its start`);
    expect(body(pong)).toContain("pong");
    expect(pong.isEncrypted()).toBe(true);
    expect(body(await ask(aliceAgain, "!ping"))).toContain("pong");

    // The same bot device, with the same keys; no new device was made.
    expect(readSession(cryptoDirOf(join(fresh, "bots", "accueil")))!.deviceId).toBe(deviceBefore);
    expect(await botDevices(aliceAgain, setup.userId)).toEqual(keysBefore);
    expect(restartedBot.output()).not.toContain("new bot device created");

    // The history is on the restored server (a new device has no keys for the old messages:
    // Element keeps them on the member's devices or in their key backup, not on the server).
    const history = await aliceAgain.client.createMessagesRequest(dm, null, 100, Direction.Backward);
    const old = history.chunk.find((e) => e.event_id === firstPing.getId());
    expect(old?.type).toBe("m.room.encrypted");

    // The file too.
    const mediaId = upload.content_uri.replace(`mxc://${serverName}/`, "");
    const download = await fetch(`${baseUrl}/_matrix/client/v1/media/download/${serverName}/${mediaId}`, {
      headers: { authorization: `Bearer ${aliceAgain.client.getAccessToken()}` },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(fileBytes);
  });
});
