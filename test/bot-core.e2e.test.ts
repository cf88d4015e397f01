// The bot core against the real Synapse: encrypted commands and replies, the same device
// across restarts (graceful and kill -9), exactly one answer per command, bad input.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareBot, spawnBot, startBotProcess, waitReady, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { createTestUser } from "./helpers/users.ts";

const isReplyTo = (commandId: string) => (event: MatrixEvent) =>
  (event.getContent()["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined)?.["m.in_reply_to"]?.event_id === commandId;

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
    await gp.waitForJoin(roomId, setup.userId);
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

  it("survives a 64 KB message, a non-text message and a message without body, and still answers", async () => {
    const huge = `!ping ${"x".repeat(64 * 1024)}`;
    const hugeReply = await ask(gp, roomId, setup.userId, huge);
    expect(String(hugeReply.getContent()["body"]).length).toBeLessThan(4096);
    await gp.sendEvent(roomId, "m.room.message", { msgtype: "m.image", body: "!ping", url: "mxc://example/none" });
    await gp.sendEvent(roomId, "m.room.message", { msgtype: "m.text" });
    await gp.sendEvent(roomId, "m.room.message", { msgtype: "m.text", body: 42 });
    const after = await ask(gp, roomId, setup.userId, "!ping");
    expect(String(after.getContent()["body"])).toContain("pong");
    const imageReplies = (gp.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []).filter(
      (e) => e.getSender() === setup.userId && String(e.getContent()["body"]).includes("pong"),
    );
    // !ping, 64 KB !ping, final !ping: three pongs, none for the image.
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
    const commands: string[] = [];
    for (let i = 0; i < 5; i++) commands.push(await gp.sendText(roomId, "!ping"));
    await bot.kill9();
    bot = spawnBot(setup);
    await waitReady(setup, bot);
    for (const id of commands) await gp.waitForMessage(roomId, (e) => e.getSender() === setup.userId && isReplyTo(id)(e));
    await bot.kill9();
    bot = await startBotProcess(setup);
    // A probe answered after the second restart proves the bot caught up before we count.
    await ask(gp, roomId, setup.userId, "!ping");
    for (const id of commands) expect(repliesTo(gp, roomId, setup.userId, id)).toHaveLength(1);
    expect(readBotSession(setup).deviceId).toBeTruthy();
  });
});
