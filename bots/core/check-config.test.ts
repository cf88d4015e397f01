import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BOT_DEFINITIONS } from "../registry.ts";
import { startBot, type BotDefinition } from "./bot-runtime.ts";
import { configProblems } from "./check-config.ts";
import { CONFIG_ERROR_EXIT_CODE, ConfigError, parseBotsConfig } from "./config.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** A configuration folder with the accueil and snp bots, their secrets written; `edit` spoils it. */
function configFolder(edit: (config: Record<string, any>) => void = () => {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "check-config-"));
  for (const name of ["password", "store", "recovery"]) writeFileSync(join(dir, name), "a-long-secret-for-the-tests-0123456789\n");
  const bot = (id: string) => ({
    userId: `@${id}:cpts.test`,
    passwordFile: "password",
    storageSecretFile: "store",
    recoveryKeyFile: "recovery",
    displayName: id,
    http: { port: 0 },
  });
  const config: Record<string, any> = {
    homeserverUrl: "http://127.0.0.1:1",
    dataDir: "data",
    cpts: { name: "CPTS Test", coordinators: ["@coordination:cpts.test"], territory: { communes: ["59178"] } },
    invites: { acceptFrom: "local-users" },
    bots: { accueil: bot("accueil"), snp: { ...bot("snp"), options: { regulators: ["@regulation:cpts.test"] } } },
  };
  edit(config);
  const file = join(dir, "bots.yaml");
  writeFileSync(file, stringifyYaml(config));
  return { dir, file };
}

describe("configProblems (--check-config, and the check before any bot starts)", () => {
  it("finds nothing to say about a valid configuration", () => {
    expect(configProblems(configFolder().file, BOT_DEFINITIONS)).toEqual([]);
  });

  it("reports every problem at once, the bots' own even when the common keys are wrong too", () => {
    const { file } = configFolder((config) => {
      config["homeserverUrl"] = "pas une adresse";
      config["cpts"].coordinators = [];
      config["bots"].snp.options = { regulators: ["pas un compte"], responseDeadline: "bientôt" };
      config["bots"].accueil.passwordFile = "missing-password";
      config["bots"].inconnu = { ...config["bots"].accueil, passwordFile: "password" };
    });
    const problems = configProblems(file, BOT_DEFINITIONS).join("\n");
    for (const key of [
      "homeserverUrl",
      "cpts.coordinators",
      "bots.snp.options.regulators.0",
      "bots.snp.options.responseDeadline",
      "bots.accueil.passwordFile",
      "bots.inconnu: unknown bot",
    ]) {
      expect(problems).toContain(key);
    }
  });
});

describe("bots/main.ts, running every bot", () => {
  it("starts none when a bot's options are wrong: every problem printed, exit code of a configuration error", () => {
    const { file, dir } = configFolder((config) => {
      config["bots"].snp.options = { regulators: ["pas un compte"] };
      config["bots"].accueil.storageSecretFile = "missing-store";
    });
    const run = spawnSync(process.execPath, [MAIN], { env: { ...process.env, CPTS_BOTS_CONFIG: file }, encoding: "utf8", timeout: 120_000 });
    expect(run.status).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(run.stdout + run.stderr).toContain("bots.snp.options.regulators.0");
    expect(run.stdout + run.stderr).toContain("bots.accueil.storageSecretFile");
    expect(run.stdout + run.stderr).not.toContain("bot-snp");
    expect(spawnSync("ls", [join(dir, "data")]).status).not.toBe(0);
  }, 150_000);
});

describe("startBot", () => {
  it("validates the bot's options, typed, before reading a secret or reaching the homeserver", async () => {
    const { dir } = configFolder();
    const config = parseBotsConfig(
      {
        homeserverUrl: "http://127.0.0.1:1",
        dataDir: join(dir, "data"),
        cpts: { name: "CPTS Test", coordinators: ["@coordination:cpts.test"], territory: { communes: ["59178"] } },
        invites: { acceptFrom: "local-users" },
        bots: {
          typed: {
            userId: "@typed:cpts.test",
            passwordFile: "no-such-file",
            storageSecretFile: "no-such-file",
            recoveryKeyFile: "no-such-file",
            displayName: "Typed",
            http: { port: 0 },
            options: { every: "soon" },
          },
        },
      },
      dir,
    );
    let created = false;
    const typed: BotDefinition<{ every: number }> = {
      id: "typed",
      name: { fr: "Typé", en: "Typed" },
      schemas: [],
      optionsSchema: z.object({ every: z.number() }).strict(),
      create: () => {
        created = true;
        throw new Error("not reached");
      },
    };
    const failure = await startBot(config, typed).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toContain("bots.typed.options.every");
    expect(created).toBe(false);
  });
});
