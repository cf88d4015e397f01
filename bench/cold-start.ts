// Cold start: bot process start → first command answered, for the very first start (new
// device) and for a restart (existing device and crypto store). A command is already
// waiting in the room when the process starts. Crypto initialisation and first sync are
// read from the bot's own log (milliseconds since process start). Prints JSON.
import { performance } from "node:perf_hooks";
import { prepareBot, spawnBot, waitReady, type BotProcess, type BotSetup } from "../test/helpers/bot-process.ts";
import { createElementClient } from "../test/helpers/element-client.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, summary } from "./lib.ts";
import { isReplyTo } from "../test/helpers/replies.ts";

const RESTARTS = Number(process.env["BENCH_RESTARTS"] ?? 5);


function logged(bot: BotProcess, message: string, field: "processUptimeMs" | "identityMs" = "processUptimeMs"): number | undefined {
  for (const line of bot.output().split("\n")) {
    if (!line.includes(`"msg":"${message}"`)) continue;
    return (JSON.parse(line) as Record<string, number | undefined>)[field];
  }
  return undefined;
}

const synapse = await benchSynapse();
try {
  const setup: BotSetup = await prepareBot({}, synapse);
  const gp = await createElementClient(await createTestUser("gp", {}, synapse), synapse.baseUrl);
  // First start: creates the device; the room is made once it is up, so later starts find it.
  let bot = spawnBot(setup);
  const firstStarted = performance.now();
  await waitReady(setup, bot);
  const firstReadyMs = performance.now() - firstStarted;
  // The first start also makes the bot's cross-signing identity (secret storage, keys, device signature).
  const firstStart = {
    readyMs: Math.round(firstReadyMs),
    crossSigningSetUpMs: logged(bot, "cross-signing identity set up", "identityMs"),
    cryptoReadyMs: logged(bot, "crypto ready"),
    firstSyncMs: logged(bot, "first sync done"),
  };
  const roomId = await gp.createEncryptedDm(setup.userId);
  await gp.waitForJoin(roomId, setup.userId);
  const warm = await gp.sendText(roomId, "!ping");
  await gp.waitForMessage(roomId, isReplyTo(warm));
  await bot.stop();

  const answered: number[] = [];
  const crypto: number[] = [];
  const sync: number[] = [];
  const identityCheck: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const waiting = await gp.sendText(roomId, "!ping");
    const started = performance.now();
    bot = spawnBot(setup);
    await gp.waitForMessage(roomId, isReplyTo(waiting), 60_000);
    answered.push(performance.now() - started);
    crypto.push(logged(bot, "crypto ready") ?? NaN);
    sync.push(logged(bot, "first sync done") ?? NaN);
    identityCheck.push(logged(bot, "cross-signing identity in place", "identityMs") ?? NaN);
    await bot.stop();
  }
  console.log(
    JSON.stringify(
      {
        benchmark: "bot cold start",
        firstStartNewDevice: firstStart,
        restart: {
          runs: RESTARTS,
          processStartToFirstReplyMs: summary(answered),
          cryptoReadySinceProcessStartMs: summary(crypto),
          firstSyncSinceProcessStartMs: summary(sync),
          crossSigningCheckMs: summary(identityCheck),
        },
        aim: "process start → first command answered < 5000 ms; first start with the identity set-up < 5000 ms",
      },
      null,
      2,
    ),
  );
  await gp.stop();
} finally {
  await synapse.cleanup();
}
process.exit(0);
