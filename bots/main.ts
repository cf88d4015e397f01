// The bots' entry point.
//   node bots/main.ts <bot-id>   runs one bot (one bot per process: each has its own crypto store)
//   node bots/main.ts            checks the whole configuration (as --check-config), then runs every
//                                configured bot, each in its own supervised process; a bot that
//                                exits on a configuration error stops them all (exit 2), no restart loop
//   node bots/main.ts --check-config   loads every bot's code, validates the whole configuration,
//                                      prints every problem; exit 0 (valid) or 1, without connecting
//   node bots/main.ts --health   the container's health check: exit 0 when every configured bot's /healthz answers
// Configuration: the YAML file named by CPTS_BOTS_CONFIG (default config/bots.yaml).
import "./core/matrix/quiet-sdk.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { schemasOfConfiguredBots, startBot, type RunningBot } from "./core/bot-runtime.ts";
import { configProblems } from "./core/check-config.ts";
import { unhealthyBots } from "./core/health-probe.ts";
import { CONFIG_ERROR_EXIT_CODE, ConfigError, loadBotsConfig } from "./core/config.ts";
import { createLogger } from "./core/logger.ts";
import { writePidFile } from "./core/pid-file.ts";
import { Supervisor } from "./core/supervisor.ts";
import { BOT_DEFINITIONS } from "./registry.ts";

const logger = createLogger("bots");
const configFile = process.env["CPTS_BOTS_CONFIG"] ?? "config/bots.yaml";
let stopping = false;

// matrix-js-sdk leaves some promises floating (e.g. RoomEncryptor's outgoing-request kick,
// aborted by stopClient): one such rejection must not bring the bot down.
process.on("unhandledRejection", (reason) => {
  const err = reason instanceof Error ? reason.message : String(reason);
  if (stopping) logger.debug({ err }, "promise rejected while stopping");
  else logger.error({ err }, "unhandled promise rejection; the bot keeps running");
});

async function runOneBot(botId: string): Promise<void> {
  const config = loadBotsConfig(configFile);
  const definition = BOT_DEFINITIONS.get(botId);
  if (!definition) throw new ConfigError(`unknown bot "${botId}" (known: ${[...BOT_DEFINITIONS.keys()].join(", ")})`);
  const removePid = writePidFile(join(config.dataDir, `bot-${botId}.pid`));
  let bot: RunningBot | undefined;
  // Installed before starting: a stop asked during start-up must still be clean. Every
  // store write is transactional, so leaving mid-start loses nothing.
  onStopSignal(async () => {
    await bot?.stop();
    removePid();
  });
  bot = await startBot(config, definition, undefined, schemasOfConfiguredBots(config, BOT_DEFINITIONS));
  logger.info({ bot: botId, userId: bot.userId, deviceId: bot.deviceId, httpPort: bot.httpPort }, "bot running");
}

function runAllBots(): void {
  // Every bot's options and secrets, before any process starts: all problems at once.
  const problems = configProblems(configFile, BOT_DEFINITIONS);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  const config = loadBotsConfig(configFile);
  const entry = fileURLToPath(import.meta.url);
  const stopAll = async (): Promise<void> => {
    await Promise.all(supervisors.map((s) => s.stop()));
  };
  const supervisors = Object.keys(config.bots).map(
    (botId) =>
      new Supervisor(
        {
          name: `bot-${botId}`,
          command: process.execPath,
          args: [entry, botId],
          stopOnExitCodes: [CONFIG_ERROR_EXIT_CODE],
          onGiveUp: () => {
            if (stopping) return;
            stopping = true;
            logger.fatal({ bot: botId }, "a bot stopped on a configuration error: stopping every bot (its log names the key)");
            void stopAll().finally(() => process.exit(CONFIG_ERROR_EXIT_CODE));
          },
        },
        logger,
      ),
  );
  for (const supervisor of supervisors) supervisor.start();
  onStopSignal(stopAll);
}

function onStopSignal(stop: () => Promise<void>): void {
  const handler = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, "unclean stop");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

function checkConfig(): never {
  const problems = configProblems(configFile, BOT_DEFINITIONS);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`configuration valid: ${configFile} (bots: ${Object.keys(loadBotsConfig(configFile).bots).join(", ")})`);
  process.exit(0);
}

const botId = process.argv[2];
try {
  if (botId === "--check-config") checkConfig();
  else if (botId === "--health") {
    const problems = await unhealthyBots(loadBotsConfig(configFile));
    if (problems.length > 0) console.error(problems.join("\n"));
    process.exit(problems.length === 0 ? 0 : 1);
  }
  else if (botId) await runOneBot(botId);
  else runAllBots();
} catch (err) {
  if (err instanceof ConfigError) {
    logger.fatal(err.message);
    process.exit(CONFIG_ERROR_EXIT_CODE);
  }
  logger.fatal({ err: (err as Error).message }, "bot failed to start");
  process.exit(1);
}
