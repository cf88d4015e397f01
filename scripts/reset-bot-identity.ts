/**
 * npm run bots:reset-identity -- <bot-id>
 * Asks for a new cross-signing identity for one bot, for when its recovery key is lost or
 * its identity was compromised. Members' Element will show that the bot's identity
 * changed. The reset happens at the bot's next start (stop and start the bot after this);
 * a start interrupted during the reset resumes it. Exit codes: 0 asked, 2 wrong arguments
 * or configuration.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { botConfig, ConfigError, loadBotsConfig } from "../bots/core/config.ts";
import { resetMarkerOf } from "../bots/core/matrix/cross-signing.ts";

const botId = process.argv[2];
const configFile = process.env["CPTS_BOTS_CONFIG"] ?? "config/bots.yaml";
try {
  if (!botId) throw new ConfigError("Indiquez le robot : npm run bots:reset-identity -- <identifiant du robot, ex. snp>");
  const config = loadBotsConfig(configFile);
  botConfig(config, botId);
  const botDataDir = join(config.dataDir, botId);
  mkdirSync(botDataDir, { recursive: true, mode: 0o700 });
  writeFileSync(resetMarkerOf(botDataDir), `${new Date().toISOString()}\n`, { mode: 0o600 });
  process.stdout.write(
    `Nouvelle identité demandée pour le robot ${botId}. Elle sera créée à son prochain démarrage : redémarrez-le ` +
      `(docker compose restart bots, ou relancez npm start). Les membres verront dans Element que l'identité du robot a changé.\n`,
  );
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
