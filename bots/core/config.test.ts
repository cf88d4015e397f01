import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOT_DEFINITIONS } from "../registry.ts";
import { describe, expect, it } from "vitest";
import { ConfigError, loadBotsConfig, parseBotsConfig, readSecret } from "./config.ts";

const valid = {
  homeserverUrl: "http://127.0.0.1:8008",
  dataDir: "data",
  cpts: { name: "CPTS Grand Douai", coordinators: ["@coordination:cpts.localhost"], territory: { communes: ["59178", "59569"] } },
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

  it("resolves the cpts territory from the published commune data, and names a wrong commune by its key", () => {
    const config = parseBotsConfig(valid, "/");
    expect(config.cpts).toMatchObject({ name: "CPTS Grand Douai", coordinators: ["@coordination:cpts.localhost"], importGuard: { maxDeactivatedShare: 0.2 } });
    expect(config.cpts.territory.communes).toEqual([
      { code: "59178", name: "Douai", postcodes: ["59500"], latitude: expect.closeTo(50.37, 2), longitude: expect.closeTo(3.08, 2) },
      { code: "59569", name: "Sin-le-Noble", postcodes: ["59450"], latitude: expect.closeTo(50.36, 2), longitude: expect.closeTo(3.13, 2) },
    ]);
    const problems = (cpts: unknown): string => {
      try {
        parseBotsConfig({ ...valid, cpts }, "/");
        return "";
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    const territory = (communes: unknown, centres?: unknown) => ({ ...valid.cpts, territory: { communes, ...(centres ? { centres } : {}) } });
    expect(problems(territory(["59178", "59569", "59178", "59999"]))).toContain("cpts.territory.communes.3: 59999 n'est pas une commune connue");
    expect(problems(territory(["59178", "59569", "59178"]))).toContain("cpts.territory.communes.2: 59178 (Douai) est déjà dans la liste");
    expect(problems(territory(["5917"]))).toContain("cpts.territory.communes.0: an INSEE commune code");
    expect(problems(territory([]))).toContain("cpts.territory.communes");
    expect(problems(undefined)).toContain("cpts");
    expect(problems({ ...valid.cpts, coordinators: [] })).toContain("cpts.coordinators");
    // A commune under 500 inhabitants has no published centre: the start says where to give it.
    expect(problems(territory(["01001"]))).toContain('cpts.territory.communes.0: 01001 (L\'Abergement-Clémenciat) : centre inconnu des données publiées ; indiquez-le dans cpts.territory.centres."01001"');
    const small = parseBotsConfig({ ...valid, cpts: territory(["01001"], { "01001": { latitude: 46.15, longitude: 4.92 } }) }, "/");
    expect(small.cpts.territory.communes[0]).toMatchObject({ name: "L'Abergement-Clémenciat", postcodes: ["01400"], latitude: 46.15 });
    expect(problems(territory(["59178"], { "59569": { latitude: 50, longitude: 3 } }))).toContain("cpts.territory.centres.59569: 59569 n'est pas dans cpts.territory.communes");
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
