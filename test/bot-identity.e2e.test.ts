// Element since April 2026 (MSC4153) talks only to sessions their owner cross-signed. Each
// bot owns a cross-signing identity kept in secret storage under its recovery key: these
// tests talk to the bots with clients that behave like that Element, restart them, kill
// them during the identity set-up, delete their crypto store, and write to them from a
// session nobody verified.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { EventShieldReason } from "matrix-js-sdk/lib/crypto-api/index.js";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { prepareBot, spawnBot, startBotProcess, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { createElementClient, createLegacyElementClient, type ElementClient } from "./helpers/element-client.ts";
import { startHoldingProxy, type HoldingProxy } from "./helpers/holding-proxy.ts";
import { startMailWorld, type MailWorld } from "./helpers/mail-bridge.ts";
import { markVerifiedMember } from "./helpers/members.ts";
import { until } from "./helpers/until.ts";
import { createTestUser, type TestUser } from "./helpers/users.ts";

const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");

async function ask(client: ElementClient, roomId: string, botUserId: string, text: string): Promise<MatrixEvent> {
  const id = await client.sendText(roomId, text);
  return client.waitForMessage(roomId, (e) => e.getSender() === botUserId && JSON.stringify(e.getContent()).includes(id), 45_000);
}

async function dmWith(client: ElementClient, botUserId: string): Promise<string> {
  const roomId = await client.createEncryptedDm(botUserId);
  await client.waitForJoin(roomId, botUserId);
  return roomId;
}

/** The bot's public master key, as anyone can download it. */
async function masterKeyOf(client: ElementClient, userId: string): Promise<string> {
  const keys = await client.client.downloadKeysForUsers([userId]);
  const master = keys.master_keys?.[userId];
  if (!master) throw new Error(`${userId} has no cross-signing identity`);
  return Object.values(master.keys)[0]!;
}

async function botSession(client: ElementClient, botUserId: string): Promise<{ deviceIds: string[]; signedByOwner: boolean[] }> {
  const crypto = client.client.getCrypto()!;
  const devices = await crypto.getUserDeviceInfo([botUserId], true);
  const deviceIds = [...(devices.get(botUserId)?.keys() ?? [])];
  const signedByOwner = await Promise.all(deviceIds.map(async (id) => (await crypto.getDeviceVerificationStatus(botUserId, id))?.signedByOwner ?? false));
  return { deviceIds, signedByOwner };
}

async function health(setup: BotSetup): Promise<{ ready: boolean; deviceCrossSigned: boolean }> {
  return (await fetch(`http://127.0.0.1:${setup.httpPort}/healthz`)).json() as Promise<{ ready: boolean; deviceCrossSigned: boolean }>;
}

describe("every bot talks with today's Element", () => {
  const running: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) await item.stop();
  });

  async function checkBot(setup: BotSetup, member: TestUser): Promise<void> {
    const client = await createElementClient(member);
    running.push(client);
    const bot = await startBotProcess(setup);
    running.push(bot);
    const withBotOutput = (err: unknown): never => {
      throw new Error(`${(err as Error).message}\n${bot.output()}`);
    };
    const roomId = await dmWith(client, setup.userId).catch(withBotOutput);
    const pong = await ask(client, roomId, setup.userId, "!ping").catch(withBotOutput);
    expect(pong.isEncrypted()).toBe(true);
    expect(body(pong)).toContain("pong");
    expect(body(pong)).toContain("Votre session est vérifiée");
    // Seen from the member's side: the bot's only session carries its owner's signature, and its
    // messages carry no "encrypted by a device not verified by its owner" warning.
    const session = await botSession(client, setup.userId);
    expect(session.signedByOwner).toEqual([true]);
    const info = await client.client.getCrypto()!.getEncryptionInfoForEvent(pong);
    expect(info?.shieldReason).not.toBe(EventShieldReason.UNSIGNED_DEVICE);
    expect(await health(setup)).toMatchObject({ ready: true, deviceCrossSigned: true });
    const metrics = await (await fetch(`http://127.0.0.1:${setup.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/^cpts_bot_device_cross_signed\{[^}]*\} 1$/m);
  }

  it("accueil, annuaire, snp and equipes: cross-signed, answering a strict client", async () => {
    for (const botId of ["accueil", "annuaire", "snp", "equipes"]) {
      const member = await createTestUser("membre", { displayName: "Membre" });
      // A verified member, whom the SNP bot may invite to its regulation room (the production policy).
      markVerifiedMember(member.userId);
      const botOptions = botId === "snp" ? { regulators: [member.userId] } : undefined;
      await checkBot(await prepareBot({ botId, acceptFrom: "local-users", botOptions }), member);
      for (const item of running.splice(0).reverse()) await item.stop();
    }
  });

  it("mssante: the bridge is cross-signed and answers a strict client", async () => {
    const coordinator = await createTestUser("coordination", { displayName: "Coordination" });
    const world: MailWorld = await startMailWorld({ coordinators: [coordinator.userId] });
    running.push({ stop: () => world.dispose() });
    await checkBot(world.setup, coordinator);
  });
});

describe("a bot keeps one identity", () => {
  let bot: BotProcess | undefined;
  const clients: ElementClient[] = [];
  afterAll(async () => {
    for (const c of clients) await c.stop();
    await bot?.stop();
  });

  it("across a restart, kills during its set-up, and the loss of its crypto store", async () => {
    const setup = await prepareBot();
    const cryptoDir = join(setup.dataDir, setup.botId, "crypto");

    // kill -9 as soon as each identity step is done, then at moments spread over the set-up.
    for (const step of ["adopt-secret-storage", "create-identity"]) {
      const starting = spawnBot(setup);
      await until(`bot reports step ${step}`, 60_000, () => starting.output().includes(`"step":"${step}"`) || starting.output().includes("cross-signing identity")).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${starting.output()}`);
      });
      await starting.kill9();
    }
    bot = await startBotProcess(setup);
    const gp = await createElementClient(await createTestUser("ide"));
    clients.push(gp);
    const roomId = await dmWith(gp, setup.userId);
    expect(body(await ask(gp, roomId, setup.userId, "!ping"))).toContain("pong");
    const master = await masterKeyOf(gp, setup.userId);
    const first = await botSession(gp, setup.userId);
    expect(first.signedByOwner).toEqual([true]);

    // A restart finds everything in place and changes nothing.
    await bot.stop();
    bot = spawnBot(setup);
    await until("bot ready after restart", 60_000, () => bot!.output().includes("cross-signing identity in place"));
    expect(bot.output()).not.toContain("cross-signing step done");
    expect(body(await ask(gp, roomId, setup.userId, "!ping"))).toContain("pong");
    expect(await masterKeyOf(gp, setup.userId)).toBe(master);

    // The crypto store is lost: a new session, signed by the same identity restored from the recovery key.
    await bot.stop();
    rmSync(cryptoDir, { recursive: true, force: true });
    bot = await startBotProcess(setup);
    expect(bot.output()).toContain("restore-from-secret-storage");
    expect(await masterKeyOf(gp, setup.userId)).toBe(master);
    const after = await botSession(gp, setup.userId);
    expect(after.deviceIds).toHaveLength(2);
    expect(after.deviceIds).toEqual(expect.arrayContaining(first.deviceIds));
    expect(after.signedByOwner).toEqual([true, true]);
    // The member's client sees the same identity: no "identity changed" to approve, and the bot still answers.
    expect((await gp.client.getCrypto()!.getUserVerificationStatus(setup.userId)).needsUserApproval).toBe(false);
    expect(body(await ask(gp, roomId, setup.userId, "!ping"))).toContain("pong");
  });

  it("killed at moments spread over the identity's creation, never keeps a half-made identity", async () => {
    for (const delayMs of [0, 30, 60, 120]) {
      const setup = await prepareBot();
      const starting = spawnBot(setup);
      starting.process.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes('"step":"adopt-secret-storage"')) setTimeout(() => void starting.kill9(), delayMs);
      });
      await starting.exited;
      let restarted = await startBotProcess(setup);
      expect(await health(setup)).toMatchObject({ deviceCrossSigned: true });
      const checker = await createElementClient(await createTestUser("verif"));
      const master = await masterKeyOf(checker, setup.userId);
      await restarted.stop();
      // What was published can be restored from secret storage: the identity is whole.
      rmSync(join(setup.dataDir, setup.botId, "crypto"), { recursive: true, force: true });
      restarted = await startBotProcess(setup);
      expect(await masterKeyOf(checker, setup.userId)).toBe(master);
      expect(await health(setup)).toMatchObject({ deviceCrossSigned: true });
      await restarted.stop();
      await checker.stop();
    }
  });

  it("refuses to start with another recovery key rather than replace its identity, naming the key", async () => {
    const setup = await prepareBot();
    await (await startBotProcess(setup)).stop();
    rmSync(join(setup.dataDir, setup.botId, "crypto"), { recursive: true, force: true });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(setup.dataDir, "bot.recovery-key"), "une-autre-cle-de-recuperation-bien-longue");
    const refused = spawnBot(setup);
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toContain("recoveryKeyFile");
    expect(refused.output()).not.toContain("une-autre-cle");
  });

  it("makes a new identity when the operator asks for a reset", async () => {
    const setup = await prepareBot();
    const gp = await createElementClient(await createTestUser("mg"));
    clients.push(gp);
    let running = await startBotProcess(setup);
    const roomId = await dmWith(gp, setup.userId);
    const before = await masterKeyOf(gp, setup.userId);
    await running.stop();
    const { execFileSync } = await import("node:child_process");
    const reset = execFileSync(process.execPath, ["scripts/reset-bot-identity.ts", setup.botId], {
      env: { ...process.env, CPTS_BOTS_CONFIG: setup.configFile },
      encoding: "utf8",
    });
    expect(reset).toContain(setup.botId);
    running = await startBotProcess(setup);
    expect(running.output()).toContain("reset-identity");
    expect(await masterKeyOf(gp, setup.userId)).not.toBe(before);
    expect(await health(setup)).toMatchObject({ deviceCrossSigned: true });
    expect(body(await ask(gp, roomId, setup.userId, "!ping"))).toContain("pong");
    await running.stop();
  });
});

describe("a member who writes the moment the bot joins", () => {
  const clients: ElementClient[] = [];
  let bot: BotProcess | undefined;
  let proxy: HoldingProxy | undefined;
  afterAll(async () => {
    for (const c of clients) await c.stop();
    await bot?.stop();
    await proxy?.close();
  });

  it("is answered once the bot has their keys, not told their session is unverified", async () => {
    const setup = await prepareBot();
    await (await startBotProcess(setup)).stop(); // its device and identity exist: only the member's keys are held below
    // Key queries held at a proxy: the member's message reaches the bot before their keys do, as when someone writes at once.
    proxy = await startHoldingProxy(new URL(inject("synapse").baseUrl), (req) => req.url?.startsWith("/_matrix/client/v3/keys/query") === true, { holding: false });
    const config = parseYaml(readFileSync(setup.configFile, "utf8")) as { homeserverUrl: string };
    config.homeserverUrl = proxy.url();
    writeFileSync(setup.configFile, toYaml(config));
    bot = await startBotProcess(setup);
    const member = await createElementClient(await createTestUser("kine"));
    clients.push(member);

    proxy.hold();
    const roomId = await dmWith(member, setup.userId);
    const commandId = await member.sendText(roomId, "!ping");
    await until("the bot asked for the member's keys", 20_000, () => proxy!.heldCount() > 0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    proxy.release();

    const pong = await member.waitForMessage(roomId, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(commandId), 45_000);
    expect(body(pong)).toContain("Votre session est vérifiée");
    const fromBot = member.client.getRoom(roomId)!.getLiveTimeline().getEvents().filter((e) => e.getSender() === setup.userId && e.getType() === "m.room.message");
    expect(fromBot.map(body).filter((text) => text.includes("n'est pas vérifiée"))).toEqual([]);
  });
});

describe("a session nobody verified", () => {
  const clients: ElementClient[] = [];
  let bot: BotProcess | undefined;
  afterAll(async () => {
    for (const c of clients) await c.stop();
    await bot?.stop();
  });

  it("gets no answer; the person's verified session is told once which session could not be read", async () => {
    const setup = await prepareBot();
    bot = await startBotProcess(setup);
    const user = await createTestUser("sage-femme");
    const verified = await createElementClient(user);
    const unverified = await createElementClient(user, undefined, { verify: false });
    clients.push(verified, unverified);
    const roomId = await dmWith(verified, setup.userId);
    await until("the unverified session sees the DM", 30_000, () => unverified.client.getRoom(roomId)?.getMyMembership() === "join");

    const commandId = await unverified.sendText(roomId, "!ping");
    const notice = await verified.waitForMessage(roomId, (e) => e.getSender() === setup.userId && body(e).includes(unverified.deviceId), 45_000);
    expect(notice.isEncrypted()).toBe(true);
    expect(body(notice)).toContain("n'est pas vérifiée");
    expect(body(notice)).toContain("Paramètres › Sessions");
    expect(JSON.stringify(notice.getContent())).not.toContain(commandId);

    // The bot wrote nothing the unverified session can read.
    await until("the unverified session received the notice", 30_000, () => unverified.client.getRoom(roomId)?.findEventById(notice.getId()!) !== undefined);
    const seenByUnverified = unverified.client.getRoom(roomId)!.findEventById(notice.getId()!)!;
    await until("decryption attempted", 10_000, () => !seenByUnverified.isBeingDecrypted() && !seenByUnverified.shouldAttemptDecryption());
    expect(seenByUnverified.isDecryptionFailure()).toBe(true);

    // Once a day per session: a second command from it brings no second notice, while the verified session is answered.
    await unverified.sendText(roomId, "!aide");
    expect(body(await ask(verified, roomId, setup.userId, "!ping"))).toContain("pong");
    const notices = verified.client.getRoom(roomId)!.getLiveTimeline().getEvents().filter((e) => e.getSender() === setup.userId && body(e).includes(unverified.deviceId));
    expect(notices).toHaveLength(1);
    expect(bot.output()).toContain(unverified.deviceId);
    expect(bot.output()).not.toContain("!aide");
  });
});

describe("the older, permissive Element", () => {
  it("reads the bot's answers without the 'not verified by its owner' warning", async () => {
    const setup = await prepareBot();
    const bot = await startBotProcess(setup);
    const legacy = await createLegacyElementClient(await createTestUser("kine"));
    try {
      const roomId = await dmWith(legacy, setup.userId);
      const pong = await ask(legacy, roomId, setup.userId, "!ping");
      expect(body(pong)).toContain("pong");
      const info = await legacy.client.getCrypto()!.getEncryptionInfoForEvent(pong);
      expect(info?.shieldReason).not.toBe(EventShieldReason.UNSIGNED_DEVICE);
    } finally {
      await legacy.stop();
      await bot.stop();
    }
  });
});
