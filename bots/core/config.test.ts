import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOT_DEFINITIONS } from "../registry.ts";
import { describe, expect, it } from "vitest";
import { ConfigError, loadBotsConfig, parseBotsConfig, readSecret } from "./config.ts";

const valid = {
  homeserverUrl: "http://127.0.0.1:8008",
  dataDir: "data",
  invites: { acceptFrom: "verified-members" },
  bots: {
    accueil: {
      userId: "@accueil:cpts.localhost",
      passwordFile: "secrets/accueil.password",
      storageSecretFile: "/run/secrets/accueil.store",
      recoveryKeyFile: "secrets/accueil.recovery-key",
      displayName: "Accueil",
      http: { port: 9101 },
    },
  },
};

describe("bots configuration", () => {
  it("fills defaults and resolves relative paths against the config folder", () => {
    const config = parseBotsConfig(valid, "/etc/cpts");
    expect(config.defaultLanguage).toBe("fr");
    expect(config.dataDir).toBe("/etc/cpts/data");
    expect(config.bots["accueil"]?.passwordFile).toBe("/etc/cpts/secrets/accueil.password");
    expect(config.bots["accueil"]?.storageSecretFile).toBe("/run/secrets/accueil.store");
    expect(config.bots["accueil"]?.recoveryKeyFile).toBe("/etc/cpts/secrets/accueil.recovery-key");
    expect(config.bots["accueil"]?.http.host).toBe("127.0.0.1");
    expect(config.invites.allowedUsers).toEqual([]);
    expect(config.bots["accueil"]?.invites).toBeUndefined();
  });

  it("takes a bot's own invite policy and validates it like the global one", () => {
    const withOwn = { ...valid, bots: { accueil: { ...valid.bots.accueil, invites: { acceptFrom: "local-users" } } } };
    expect(parseBotsConfig(withOwn, "/").bots["accueil"]?.invites?.acceptFrom).toBe("local-users");
    const bad = { ...valid, bots: { accueil: { ...valid.bots.accueil, invites: { acceptFrom: "all" } } } };
    expect(() => parseBotsConfig(bad, "/")).toThrow(/bots\.accueil\.invites\.acceptFrom/);
  });

  it("accepts the documented example configuration as it is", () => {
    const example = loadBotsConfig(new URL("../config.example.yaml", import.meta.url).pathname);
    expect(example.invites.acceptFrom).toBe("verified-members");
    expect(Object.keys(example.bots)).toEqual(expect.arrayContaining(["accueil", "annuaire", "snp"]));
    for (const id of Object.keys(example.bots)) expect(BOT_DEFINITIONS.has(id), id).toBe(true);
    expect(example.bots["annuaire"]?.invites?.acceptFrom).toBe("local-users");
  });

  it("names the path of every bad or unknown key", () => {
    const bad = {
      ...valid,
      invites: { acceptFrom: "everybody" },
      bots: { accueil: { ...valid.bots.accueil, userId: "accueil", http: { port: 70000 } } },
      federation: true,
    };
    let message = "";
    try {
      parseBotsConfig(bad, "/");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain("invites.acceptFrom");
    expect(message).toContain("bots.accueil.userId");
    expect(message).toContain("bots.accueil.http.port");
    expect(message).toMatch(/\(root\).*federation|federation/);
  });

  it("reports an unreadable YAML file and an unreadable secret by key, never by content", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    writeFileSync(join(dir, "bad.yaml"), "homeserverUrl: [unclosed");
    expect(() => loadBotsConfig(join(dir, "bad.yaml"))).toThrow(ConfigError);
    expect(() => readSecret(join(dir, "missing"), "bots.accueil.passwordFile")).toThrow(/bots\.accueil\.passwordFile: cannot read secret file/);
    writeFileSync(join(dir, "empty"), "  \n");
    expect(() => readSecret(join(dir, "empty"), "bots.accueil.passwordFile")).toThrow(/is empty/);
    writeFileSync(join(dir, "s"), "hunter2-very-secret\n");
    expect(readSecret(join(dir, "s"), "k")).toBe("hunter2-very-secret");
  });
});
