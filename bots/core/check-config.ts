// `node bots/main.ts --check-config`: every problem of the bots' configuration at once,
// without connecting to Matrix — the common keys, each configured bot's own options, and
// the secret files the configuration names (the recovery key's form included).
import { describeIssues, loadBotsConfig, readSecret, ConfigError, type BotsConfig } from "./config.ts";
import type { BotDefinition } from "./bot-runtime.ts";
import { readRecoveryKey } from "./matrix/recovery-key.ts";

/** The problems found, one line each, named by key path; empty when the configuration is valid. */
export function configProblems(file: string, definitions: ReadonlyMap<string, BotDefinition>): string[] {
  let config: BotsConfig;
  try {
    config = loadBotsConfig(file);
  } catch (err) {
    return [(err as Error).message];
  }
  const problems: string[] = [];
  const known = [...definitions.keys()].join(", ");
  for (const [botId, bot] of Object.entries(config.bots)) {
    for (const key of ["passwordFile", "storageSecretFile"] as const) {
      try {
        readSecret(bot[key], `bots.${botId}.${key}`);
      } catch (err) {
        problems.push(`  - ${(err as ConfigError).message}`);
      }
    }
    try {
      readRecoveryKey(bot.recoveryKeyFile, botId, bot.userId);
    } catch (err) {
      problems.push(`  - ${(err as ConfigError).message}`);
    }
    const definition = definitions.get(botId);
    if (!definition) {
      problems.push(`  - bots.${botId}: unknown bot (known: ${known})`);
      continue;
    }
    if (!definition.optionsSchema) {
      if (bot.options !== undefined) problems.push(`  - bots.${botId}.options: this bot takes no options`);
      continue;
    }
    const result = definition.optionsSchema.safeParse(bot.options ?? {});
    if (!result.success) problems.push(describeIssues(result.error.issues, ["bots", botId, "options"]));
  }
  return problems.length === 0 ? [] : [`invalid bots configuration (${file}):`, ...problems];
}
