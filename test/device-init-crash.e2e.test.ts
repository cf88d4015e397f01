// `kill -9` at moments spread over a bot's very first start (login and crypto store
// creation) must never leave a half-made device: the next start still gets a working
// encrypted device, and only that one carries keys on the server.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepareBot, spawnBot, startBotProcess, type BotProcess } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { createTestUser } from "./helpers/users.ts";

const CRASHES = 6;

describe("a bot killed during its first start", () => {
  let gp: ElementClient | undefined;
  let bot: BotProcess | undefined;

  afterAll(async () => {
    await gp?.stop();
    await bot?.stop();
  });

  it(`recovers after up to ${CRASHES} kill -9 spread over device creation`, async () => {
    // How long a whole first start takes on this machine, now: the kills are spread over it.
    const calibration = await prepareBot();
    const calibrationStarted = Date.now();
    await (await startBotProcess(calibration)).stop();
    const firstStartMs = Date.now() - calibrationStarted;

    const setup = await prepareBot();
    const cryptoDir = join(setup.dataDir, setup.botId, "crypto");
    let crashesBeforeDevice = 0;
    for (let i = 0; i < CRASHES && !existsSync(cryptoDir); i++) {
      const starting = spawnBot(setup);
      await new Promise((r) => setTimeout(r, (firstStartMs * (i + 1)) / (CRASHES + 1)));
      await starting.kill9();
      if (!existsSync(cryptoDir)) crashesBeforeDevice++;
    }
    expect(crashesBeforeDevice).toBeGreaterThan(0);

    bot = await startBotProcess(setup);
    const staging = readdirSync(join(setup.dataDir, setup.botId)).filter((name) => name.startsWith("crypto.staging-"));
    expect(staging).toEqual([]);
    const { deviceId } = JSON.parse(readFileSync(join(cryptoDir, "session.json"), "utf8")) as { deviceId: string };

    gp = await createElementClient(await createTestUser("ide"));
    const devices = await gp.client.getCrypto()!.getUserDeviceInfo([setup.userId], true);
    expect([...(devices.get(setup.userId)?.keys() ?? [])]).toEqual([deviceId]);

    const roomId = await gp.createEncryptedDm(setup.userId);
    await gp.waitForJoin(roomId, setup.userId);
    const commandId = await gp.sendText(roomId, "!ping");
    const reply = await gp.waitForMessage(roomId, (e) => e.getSender() === setup.userId && String(e.getContent()["body"]).includes("pong"));
    expect(reply.isEncrypted()).toBe(true);
    expect(commandId).toBeTruthy();
  });
});
