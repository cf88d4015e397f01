// Every problem of the bots' configuration at once, without connecting to Matrix: the common
// keys, each configured bot's own options, and the secret files the configuration names (the
// recovery key's form included). `node bots/main.ts --check-config` prints them, and
// `node bots/main.ts` checks them before it starts any bot process.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { describeIssues, parseBotsConfig, readSecret, type BotsConfig } from "./config.ts";
import type { BotDefinition } from "./bot-runtime.ts";
import { readRecoveryKey } from "./matrix/recovery-key.ts";
import { parseWithFileBase } from "./options-schema.ts";

/** A bot's entry as far as it can be read: from the validated configuration, else from the file as written. */
interface BotEntry {
  readonly userId: unknown;
  readonly passwordFile: unknown;
  readonly storageSecretFile: unknown;
  readonly recoveryKeyFile: unknown;
  readonly options?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The problems found, one line each, named by key path; empty when the configuration is valid. */
export function configProblems(file: string, definitions: ReadonlyMap<string, BotDefinition>): string[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (err) {
    return [`cannot read configuration ${file}: ${(err as Error).message}`];
  }
  const baseDir = dirname(resolve(file));
  const problems: string[] = [];
  let config: BotsConfig | undefined;
  try {
    config = parseBotsConfig(raw, baseDir);
  } catch (err) {
    // The common keys' problems (every one, with its path); each bot is still checked below.
    problems.push(...(err as Error).message.split("\n").filter((line) => line.startsWith("  - ")));
  }
  const bots: Record<string, BotEntry> = config?.bots ?? botsAsWritten(raw, baseDir);
  const known = [...definitions.keys()].join(", ");
  for (const [botId, bot] of Object.entries(bots)) {
    for (const key of ["passwordFile", "storageSecretFile"] as const) {
      const path = bot[key];
      if (typeof path !== "string") continue;
      try {
        readSecret(path, `bots.${botId}.${key}`);
      } catch (err) {
        problems.push(`  - ${(err as Error).message}`);
      }
    }
    if (typeof bot.recoveryKeyFile === "string" && typeof bot.userId === "string") {
      try {
        readRecoveryKey(bot.recoveryKeyFile, botId, bot.userId);
      } catch (err) {
        problems.push(`  - ${(err as Error).message}`);
      }
    }
    const definition = definitions.get(botId);
    if (!definition) {
      problems.push(`  - bots.${botId}: unknown bot (known: ${known})`);
      continue;
    }
    problems.push(...optionProblems(definition, bot.options, baseDir));
  }
  return problems.length === 0 ? [] : [`invalid bots configuration (${file}):`, ...problems];
}

/** A bot's `options` against its schema, one line per problem under `bots.<id>.options`. */
export function optionProblems(definition: BotDefinition, options: unknown, configDir: string): string[] {
  if (!definition.optionsSchema) return options === undefined ? [] : [`  - bots.${definition.id}.options: this bot takes no options`];
  const result = parseWithFileBase(definition.optionsSchema, options ?? {}, configDir);
  return result.success ? [] : describeIssues(result.error.issues, ["bots", definition.id, "options"]).split("\n");
}

/** The `bots` section as written, its file paths resolved, when the configuration as a whole does not validate. */
function botsAsWritten(raw: unknown, baseDir: string): Record<string, BotEntry> {
  const section = isRecord(raw) && isRecord(raw["bots"]) ? raw["bots"] : {};
  const path = (value: unknown): unknown => (typeof value === "string" && value.length > 0 ? (isAbsolute(value) ? value : resolve(baseDir, value)) : undefined);
  const bots: Record<string, BotEntry> = {};
  for (const [botId, entry] of Object.entries(section)) {
    if (!isRecord(entry)) continue;
    bots[botId] = {
      userId: entry["userId"],
      passwordFile: path(entry["passwordFile"]),
      storageSecretFile: path(entry["storageSecretFile"]),
      recoveryKeyFile: path(entry["recoveryKeyFile"]),
      options: entry["options"],
    };
  }
  return bots;
}
