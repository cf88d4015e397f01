// The bot core against the real Synapse: encrypted commands and replies, the same device
// across restarts (graceful and kill -9), exactly one answer per command, bad input.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareBot, spawnBot, startBotProcess, waitReady, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { createTestUser } from "./helpers/users.ts";
import { isReplyTo } from "./helpers/replies.ts";


function repliesTo(gp: ElementClient, roomId: string, botUserId: string, commandId: string): MatrixEvent[] {
  const events = gp.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  return events.filter((e) => e.getSender() === botUserId && isReplyTo(commandId)(e));
}

async function ask(gp: ElementClient, roomId: string, botUserId: string, body: string): Promise<MatrixEvent> {
  const commandId = await gp.sendText(roomId, body);
  return gp.waitForMessage(roomId, (e) => e.getSender() === botUserId && isReplyTo(commandId)(e));
}

function readBotSession(setup: BotSetup): { deviceId: string } {
  return JSON.parse(readFileSync(join(setup.dataDir, setup.botId, "crypto", "session.json"), "utf8")) as { deviceId: string };
}

/** How many times each command event was handled from scratch, over every process's log. */
function freshHandlings(processes: readonly BotProcess[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of processes.flatMap((p) => p.output().split("\n"))) {
    if (!line.includes('"msg":"command handled"')) continue;
    const entry = JSON.parse(line) as { eventId: string; resumed: boolean };
    if (!entry.resumed) counts.set(entry.eventId, (counts.get(entry.eventId) ?? 0) + 1);
  }
  return counts;
}

async function botIdentityKey(gp: ElementClient, botUserId: string, deviceId: string): Promise<string | undefined> {
  const devices = await gp.client.getCrypto()!.getUserDeviceInfo([botUserId], true);
  return devices.get(botUserId)?.get(deviceId)?.getIdentityKey();
}

describe("bot core over an encrypted DM with the real Synapse", () => {
  let setup: BotSetup;
  let bot: BotProcess;
  let gp: ElementClient;
  let roomId: string;

  beforeAll(async () => {
    setup = await prepareBot();
    bot = await startBotProcess(setup);
    gp = await createElementClient(await createTestUser("dr-martin"));
    roomId = await gp.createEncryptedDm(setup.userId);
    await gp.waitForJoin(roomId, setup.userId).catch((err: Error) => {
      throw new Error(`${err.message}\nbot output:\n${bot.output()}`);
    });
  });

  afterAll(async () => {
    await gp?.stop();
    await bot?.stop();
  });

  it("answers !ping with an encrypted reply the professional decrypts", async () => {
    const reply = await ask(gp, roomId, setup.userId, "!ping");
    expect(reply.isEncrypted()).toBe(true);
    expect(reply.getWireType()).toBe("m.room.encrypted");
    expect(reply.getContent()["msgtype"]).toBe("m.notice");
    expect(String(reply.getContent()["body"])).toContain("pong");
  });

  it("accepts /cmd as well as !cmd, and answers in the chosen language", async () => {
    const help = await ask(gp, roomId, setup.userId, "/aide");
    expect(String(help.getContent()["body"])).toContain("!ping");
    await ask(gp, roomId, setup.userId, "!langue en");
    const pong = await ask(gp, roomId, setup.userId, "!ping");
    expect(String(pong.getContent()["body"])).toContain("I hear you");
    await ask(gp, roomId, setup.userId, "!language fr");
  });

  it("answers an unknown command with the closest known one, and an empty command with a pointer to help", async () => {
    const unknown = await ask(gp, roomId, setup.userId, "!pnig");
    expect(String(unknown.getContent()["body"])).toContain("!ping");
    const empty = await ask(gp, roomId, setup.userId, "!");
    expect(String(empty.getContent()["body"])).toContain("!aide");
  });

  it("survives a 64 KB message, the largest message that fits, a non-text message and a message without body", async () => {
    // Synapse refuses events over 64 KiB: an encrypted 64 KB text never reaches the bot.
    await expect(gp.sendText(roomId, `!ping ${"x".repeat(64 * 1024)}`)).rejects.toMatchObject({ errcode: "M_TOO_LARGE" });
    // About 40 KB of text is what fits once encrypted (base64 ciphertext and envelope).
    const largest = await ask(gp, roomId, setup.userId, `!ping ${"x".repeat(40_000)}`);
    expect(String(largest.getContent()["body"]).length).toBeLessThan(4096);
    const largestUnknown = await ask(gp, roomId, setup.userId, `!${"y".repeat(40_000)}`);
    expect(String(largestUnknown.getContent()["body"]).length).toBeLessThan(4096);
    await gp.sendEvent(roomId, "m.room.message", { msgtype: "m.image", body: "!ping", url: "mxc://example/none" });
    await gp.sendEvent(roomId, "m.room.message", { msgtype: "m.text" });
    await gp.sendEvent(roomId, "m.room.message", { msgtype: "m.text", body: 42 });
    const after = await ask(gp, roomId, setup.userId, "!ping");
    expect(String(after.getContent()["body"])).toContain("pong");
    const imageReplies = (gp.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter(
      (e) => e.getSender() === setup.userId && String(e.getContent()["body"]).includes("pong"),
    );
    // !ping, the largest !ping, the final !ping: three pongs, none for the image.
    expect(imageReplies.length).toBe(3);
    expect(bot.process.exitCode).toBeNull();
  });

  it("serves /healthz as ready and counts commands in /metrics", async () => {
    const health = await fetch(`http://127.0.0.1:${setup.httpPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ready: true });
    const metrics = await (await fetch(`http://127.0.0.1:${setup.httpPort}/metrics`)).text();
    const pingOk = metrics.match(/^cpts_bot_commands_total\{[^}]*command="ping"[^}]*status="ok"[^}]*\} (\d+)/m);
    expect(Number(pingOk?.[1])).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^cpts_bot_sync_lag_seconds\{[^}]*\} \d/m);
  });

  it("keeps its device across a restart and answers once a command sent while it was down", async () => {
    const before = readBotSession(setup);
    const keyBefore = await botIdentityKey(gp, setup.userId, before.deviceId);
    expect(keyBefore).toBeTruthy();
    await bot.stop();

    const whileDown = await gp.sendText(roomId, "!ping");
    bot = await startBotProcess(setup);
    await gp.waitForMessage(roomId, (e) => e.getSender() === setup.userId && isReplyTo(whileDown)(e));

    expect(readBotSession(setup).deviceId).toBe(before.deviceId);
    expect(await botIdentityKey(gp, setup.userId, before.deviceId)).toBe(keyBefore);
    const devices = await gp.client.getCrypto()!.getUserDeviceInfo([setup.userId], true);
    expect([...(devices.get(setup.userId)?.keys() ?? [])]).toEqual([before.deviceId]);

    await bot.stop();
    bot = await startBotProcess(setup);
    await ask(gp, roomId, setup.userId, "!ping");
    expect(repliesTo(gp, roomId, setup.userId, whileDown)).toHaveLength(1);
  });

  it("answers each command exactly once when killed with -9 while handling them", async () => {
    const deviceId = readBotSession(setup).deviceId;
    const commands: string[] = [];
    const processes: BotProcess[] = [bot];
    for (let round = 0; round < 3; round++) {
      const batch: string[] = [];
      for (let i = 0; i < 5; i++) batch.push(await gp.sendText(roomId, "!ping"));
      commands.push(...batch);
      // Killed as soon as the first answer of the batch is out: the rest is in flight.
      await gp.waitForMessage(roomId, (e) => e.getSender() === setup.userId && isReplyTo(batch[0]!)(e));
      await bot.kill9();
      bot = spawnBot(setup);
      processes.push(bot);
      await waitReady(setup, bot);
      for (const id of batch) await gp.waitForMessage(roomId, (e) => e.getSender() === setup.userId && isReplyTo(id)(e));
    }
    await bot.kill9();
    bot = await startBotProcess(setup);
    processes.push(bot);
    // A probe answered after the last restart proves the bot caught up before we count.
    await ask(gp, roomId, setup.userId, "!ping");
    for (const id of commands) expect(repliesTo(gp, roomId, setup.userId, id)).toHaveLength(1);
    // The ledger, not only the homeserver's transaction dedupe, kept each command to one handling.
    const handled = freshHandlings(processes);
    for (const id of commands) expect(handled.get(id) ?? 0).toBeLessThanOrEqual(1);
    expect(readBotSession(setup).deviceId).toBe(deviceId);
  });

  it("answers every command of a burst sent while it was down, beyond what one sync carries", async () => {
    await bot.stop();
    const burst: string[] = [];
    for (let i = 0; i < 30; i++) burst.push(await gp.sendText(roomId, "!ping"));
    bot = await startBotProcess(setup);
    for (const id of burst) await gp.waitForMessage(roomId, (e) => e.getSender() === setup.userId && isReplyTo(id)(e));
    expect(bot.output()).toContain("timeline gap paged back");
    await ask(gp, roomId, setup.userId, "!ping");
    for (const id of burst) expect(repliesTo(gp, roomId, setup.userId, id)).toHaveLength(1);
  });
});
