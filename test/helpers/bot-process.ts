import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { stringify as toYaml } from "yaml";
import { GRAND_DOUAI_FILE } from "../../bots/directory/territory.ts";
import { findFreePort } from "../../scripts/lib/free-port.ts";
import { registerUser, type SharedSecretAccess } from "../../scripts/lib/synapse-admin.ts";
import { registerPolicyDatabase } from "./policy-directory.ts";
import type {} from "./provided.ts";

const BOT_ENTRY = fileURLToPath(new URL("../../bots/main.ts", import.meta.url));
const GRAND_DOUAI_COMMUNES = (JSON.parse(readFileSync(GRAND_DOUAI_FILE, "utf8")) as { communes: string[] }).communes;

export interface BotSetup {
  readonly botId: string;
  readonly userId: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly httpPort: number;
}

/** The configuration's `cpts` section; default: the demo's CPTS Grand Douai, coordinated by @coordination on the bot's server. */
export interface TestCpts {
  readonly name?: string;
  readonly coordinators?: readonly string[];
  readonly communes?: readonly string[];
}

/** A fresh bot account and configuration in a temporary folder, as an operator would write it. */
export async function prepareBot(
  options: { acceptFrom?: "verified-members" | "local-users" | "anyone"; botId?: string; botOptions?: unknown; cpts?: TestCpts } = {},
  synapse: SharedSecretAccess & { baseUrl: string; policyRegistryDir?: string } = inject("synapse"),
): Promise<BotSetup> {
  const botId = options.botId ?? "accueil";
  const dataDir = mkdtempSync(join(tmpdir(), "cpts-bot-"));
  const localpart = `bot-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(16).toString("hex");
  writeFileSync(join(dataDir, "bot.password"), password, { mode: 0o600 });
  writeFileSync(join(dataDir, "bot.store-secret"), randomBytes(32).toString("base64url"), { mode: 0o600 });
  writeFileSync(join(dataDir, "bot.recovery-key"), randomBytes(32).toString("base64url"), { mode: 0o600 });
  const { userId } = await registerUser(synapse, { localpart, password, displayName: "Bot de test" });
  const httpPort = await findFreePort();
  const config = {
    homeserverUrl: synapse.baseUrl,
    dataDir: ".",
    defaultLanguage: "fr",
    cpts: {
      name: options.cpts?.name ?? "CPTS Grand Douai",
      coordinators: options.cpts?.coordinators ?? [`@coordination:${userId.split(":").slice(1).join(":")}`],
      territory: { communes: options.cpts?.communes ?? GRAND_DOUAI_COMMUNES },
    },
    invites: { acceptFrom: options.acceptFrom ?? "local-users", allowedUsers: [], allowedServers: [] },
    bots: {
      [botId]: {
        userId,
        passwordFile: "bot.password",
        storageSecretFile: "bot.store-secret",
        recoveryKeyFile: "bot.recovery-key",
        displayName: "Bot de test",
        http: { host: "127.0.0.1", port: httpPort },
        ...(options.botOptions === undefined ? {} : { options: options.botOptions }),
      },
    },
  };
  const configFile = join(dataDir, "bots.yaml");
  writeFileSync(configFile, toYaml(config));
  // The members this bot's database verifies are verified for the test Synapse's policy too.
  registerPolicyDatabase(synapse.policyRegistryDir ?? inject("policyDirectory").registryDir, join(dataDir, "bots.db"));
  return { botId, userId, configFile, dataDir, httpPort };
}

export interface BotProcess {
  readonly process: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/** Starts `node bots/main.ts <botId>` as a real separate process. */
export function spawnBot(setup: BotSetup): BotProcess {
  const child = spawn(process.execPath, [BOT_ENTRY, setup.botId], {
    env: { ...process.env, CPTS_BOTS_CONFIG: setup.configFile, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls /healthz until 200; fails with the bot's output if it dies or takes too long. */
export async function waitReady(setup: BotSetup, bot: BotProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void bot.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`bot exited before being ready:\n${bot.output()}`);
    const ok = await fetch(`http://127.0.0.1:${setup.httpPort}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bot not ready after ${timeoutMs} ms:\n${bot.output()}`);
}

export async function startBotProcess(setup: BotSetup): Promise<BotProcess> {
  const bot = spawnBot(setup);
  await waitReady(setup, bot);
  return bot;
}
