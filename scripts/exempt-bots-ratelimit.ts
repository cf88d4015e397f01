/**
 * SYNAPSE_ADMIN_TOKEN=… npm run bots:exempt-ratelimit
 * Lifts Synapse's message rate limit (`rc_message`) for every bot of the configuration: a
 * dispatch sends about fifty DMs at once and the MSSanté bridge catches up dozens of mails.
 * Needs a server administrator's access token (a bot is never an administrator). Running it
 * again changes nothing. Exit codes: 0 done, 1 Synapse refused, 2 wrong configuration or no token.
 */
import { loadBotsConfig } from "../bots/core/config.ts";
import { exemptFromMessageRateLimit } from "./lib/synapse-admin.ts";

const configFile = process.env["CPTS_BOTS_CONFIG"] ?? "config/bots.yaml";
let config;
try {
  config = loadBotsConfig(configFile);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
const adminToken = process.env["SYNAPSE_ADMIN_TOKEN"];
if (!adminToken) {
  process.stderr.write("SYNAPSE_ADMIN_TOKEN : le jeton d'accès d'un administrateur du serveur est nécessaire (Element Web : Paramètres › Aide et à propos › Jeton d'accès).\n");
  process.exit(2);
}
try {
  for (const [botId, bot] of Object.entries(config.bots)) {
    await exemptFromMessageRateLimit({ baseUrl: config.homeserverUrl, adminToken }, bot.userId);
    process.stdout.write(`${botId} (${bot.userId}) : plus de limite de débit des messages.\n`);
  }
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
