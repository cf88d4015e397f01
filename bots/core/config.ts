import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CptsSchema, resolveCpts, type Cpts } from "./cpts.ts";
import { filePath, MATRIX_USER_ID, parseWithFileBase } from "./options-schema.ts";

const InvitesSchema = z
  .object({
    acceptFrom: z
      .enum(["verified-members", "local-users", "anyone"])
      .describe("whose invitations the bots accept: verified CPTS members, any account of this homeserver, or anyone"),
    allowedUsers: z.array(MATRIX_USER_ID).default([]).describe("accepted in addition, whatever acceptFrom says"),
    allowedServers: z.array(z.string().min(1)).default([]).describe("homeservers whose users are accepted in addition"),
  })
  .strict();

const BotSchema = z
  .object({
    userId: MATRIX_USER_ID.describe("the bot's Matrix account"),
    passwordFile: filePath("file holding the bot account's password"),
    storageSecretFile: filePath("file holding the secret that encrypts the crypto store at rest"),
    recoveryKeyFile: filePath(
      "file holding the recovery key that protects the bot's cross-signing identity in secret storage (an Element recovery key, or a random secret of 16+ characters)",
    ),
    displayName: z.string().min(1).describe("name shown in rooms"),
    options: z.unknown().optional().describe("the bot's own settings, validated by the bot at start"),
    invites: InvitesSchema.optional().describe("this bot's own invite policy, instead of the global one (the directory bot must hear members who are not verified yet)"),
    http: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).describe("port of /healthz and /metrics (0: any free port)"),
      })
      .strict(),
  })
  .strict();

export const BotsConfigSchema = z
  .object({
    homeserverUrl: z.url().describe("client-server API base URL"),
    dataDir: filePath("where the bots keep their database and crypto stores"),
    defaultLanguage: z.enum(["fr", "en"]).default("fr"),
    cpts: CptsSchema.describe("the CPTS: its name, coordinators and territory, shared by every bot and the console"),
    invites: InvitesSchema,
    bots: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, "a lower-case bot id"), BotSchema),
  })
  .strict();

/**
 * The parsed configuration: every file path absolute, the folder the bots' own options resolve
 * theirs against, and the `cpts` territory resolved against the published commune data.
 */
export type BotsConfig = Omit<z.output<typeof BotsConfigSchema>, "cpts"> & { readonly configDir: string; readonly cpts: Cpts };
export type BotConfig = z.output<typeof BotSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** How a bot process ends on a ConfigError: its supervisor stops instead of restarting it in a loop. */
export const CONFIG_ERROR_EXIT_CODE = 2;

/** One line per problem, each named by its key path (under `prefix` when the value sits deeper in a file). */
export function describeIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[], prefix: readonly PropertyKey[] = []): string {
  return issues.map((issue) => `  - ${[...prefix, ...issue.path].map(String).join(".") || "(root)"}: ${issue.message}`).join("\n");
}

/** Reads and validates the YAML config; every problem is reported with its key path. */
export function loadBotsConfig(file: string): BotsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError(`cannot read configuration ${file}: ${(err as Error).message}`);
  }
  return parseBotsConfig(raw, dirname(resolve(file)));
}

/** Validates the configuration; relative paths (here and in the bots' options) are relative to `baseDir`, the file's folder. */
export function parseBotsConfig(raw: unknown, baseDir: string): BotsConfig {
  const result = parseWithFileBase(BotsConfigSchema, raw, baseDir);
  if (!result.success) {
    throw new ConfigError(`invalid bots configuration:\n${describeIssues(result.error.issues)}`);
  }
  const resolved = resolveCpts(result.data.cpts);
  if ("problems" in resolved) {
    throw new ConfigError(`invalid bots configuration:\n${describeIssues(resolved.problems, ["cpts"])}`);
  }
  return { ...result.data, cpts: resolved.cpts, configDir: resolve(baseDir) };
}

/** The bots' one SQLite database (directory, SNP, care teams…), in dataDir. */
export function databaseFileOf(config: Pick<BotsConfig, "dataDir">): string {
  return join(config.dataDir, "bots.db");
}

export function botConfig(config: BotsConfig, botId: string): BotConfig {
  const bot = config.bots[botId];
  if (!bot) throw new ConfigError(`bots.${botId}: no such bot in the configuration (configured: ${Object.keys(config.bots).join(", ") || "none"})`);
  return bot;
}

/** Reads a secret file named by a config key; the error names the key, never the content. */
export function readSecret(file: string, key: string): string {
  let value: string;
  try {
    value = readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new ConfigError(`${key}: cannot read secret file ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (value.length === 0) throw new ConfigError(`${key}: secret file ${file} is empty`);
  return value;
}
