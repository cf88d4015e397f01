// Who the bot accepts, what it writes in its logs, and its crypto store at rest.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFileOf } from "../bots/core/bot-runtime.ts";
import { systemClock } from "../bots/core/clock.ts";
import { loadBotsConfig } from "../bots/core/config.ts";
import { openDatabase } from "../bots/database.ts";
import { VerifiedMembers } from "../bots/core/store/verified-members.ts";
import { prepareBot, spawnBot, startBotProcess, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { createTestUser } from "./helpers/users.ts";
import { until } from "./helpers/until.ts";

describe("a bot that accepts verified members only", () => {
  let setup: BotSetup;
  let bot: BotProcess;
  const clients: ElementClient[] = [];

  beforeAll(async () => {
    setup = await prepareBot({ acceptFrom: "verified-members" });
    bot = await startBotProcess(setup);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await bot.stop();
  });

  async function client(prefix: string, verified: boolean): Promise<ElementClient> {
    const user = await createTestUser(prefix);
    if (verified) {
      const db = openDatabase(databaseFileOf(loadBotsConfig(setup.configFile)));
      new VerifiedMembers(db, systemClock).markVerified(user.userId, "@coordination:test");
      db.close();
    }
    const created = await createElementClient(user);
    clients.push(created);
    return created;
  }

  it("joins when a verified member invites it, and declines anyone else", async () => {
    const member = await client("sf-verified", true);
    const stranger = await client("not-verified", false);
    const memberRoom = await member.createEncryptedDm(setup.userId);
    const strangerRoom = await stranger.createEncryptedDm(setup.userId);
    await member.waitForJoin(memberRoom, setup.userId);
    await until("the bot declines the stranger's invitation", 30_000, () => {
      return stranger.client.getRoom(strangerRoom)?.getMember(setup.userId)?.membership === "leave";
    });
    expect(bot.output()).toContain("declined invite from a user outside the invite policy");
  });

  it("never writes message bodies, patient names or its access token in its log", async () => {
    const member = await client("mg-logs", true);
    const roomId = await member.createEncryptedDm(setup.userId);
    await member.waitForJoin(roomId, setup.userId);
    for (const body of ["!ping Mme Jeanne Secretnom", "!secretnom-inconnu Jeanne", "Bonjour, Mme Jeanne Secretnom va mieux", "!aide \"Secretnom"]) {
      const id = await member.sendText(roomId, body);
      if (body.startsWith("!")) {
        await member.waitForMessage(roomId, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(id));
      }
    }
    const log = bot.output();
    expect(log).toContain('"msg":"command handled"');
    expect(log.toLowerCase()).not.toContain("secretnom");
    const { accessToken } = JSON.parse(readFileSync(join(setup.dataDir, setup.botId, "crypto", "session.json"), "utf8")) as { accessToken: string };
    expect(log).not.toContain(accessToken);
  });

  it("cannot open its crypto store with another secret, and says which setting is wrong", async () => {
    await bot.stop();
    const secretFile = join(setup.dataDir, "bot.store-secret");
    const rightSecret = readFileSync(secretFile, "utf8");
    writeFileSync(secretFile, "a-different-secret-of-sufficient-length");
    const refused = spawnBot(setup);
    expect(await refused.exited).not.toBe(0);
    expect(refused.output()).toContain("storageSecretFile");
    writeFileSync(secretFile, rightSecret);
    bot = await startBotProcess(setup);
  });
});
