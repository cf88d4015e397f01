import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { parseBotsConfig } from "../../bots/core/config.ts";
import { applyConfigOverrides, deepMerge, mergeOverrides } from "./config-overrides.ts";

const bot = (options: Record<string, unknown>) => ({
  userId: "@snp:cpts.test",
  passwordFile: "secrets/p",
  storageSecretFile: "secrets/s",
  recoveryKeyFile: "secrets/r",
  displayName: "SNP",
  http: { host: "127.0.0.1", port: 9103 },
  options,
});
const GENERATED = {
  homeserverUrl: "http://127.0.0.1:8008",
  dataDir: "bots",
  defaultLanguage: "fr",
  invites: { acceptFrom: "verified-members", allowedUsers: [], allowedServers: [] },
  cpts: { name: "CPTS Grand Douai", coordinators: ["@coordination:cpts.test"], territory: { communes: ["59178", "59569"] } },
  bots: {
    snp: bot({ regulators: ["@coordination:cpts.test"] }),
    equipes: { ...bot({}), userId: "@equipes:cpts.test", http: { host: "127.0.0.1", port: 9104 } },
  },
};

describe("demo configuration overrides", () => {
  it("merges mappings key by key; lists and values replace", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { c: [3] }, e: true })).toEqual({ a: { b: 1, c: [3] }, d: "x", e: true });
  });

  it("shortens the SNP deadline and reminder, the rest of the generated configuration kept", () => {
    const config = mergeOverrides(GENERATED, { bots: { snp: { options: { responseDeadline: "4m", reminderAfter: "2m" } } } }, "/demo");
    expect(config.bots["snp"]?.options).toEqual({ regulators: ["@coordination:cpts.test"], responseDeadline: "4m", reminderAfter: "2m" });
    expect(config.bots["snp"]?.http.port).toBe(9103);
  });

  it("accepts the README's training example", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const example = /```yaml\n# data\/overrides\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = mergeOverrides(GENERATED, parseYaml(example!), "/demo");
    expect(config.bots["snp"]?.options).toMatchObject({ responseDeadline: "4m", reminderAfter: "2m" });
    expect(config.bots["equipes"]?.options).toMatchObject({ alertReminderAfter: "2m" });
  });

  it("refuses a bad override, naming the key", () => {
    const problem = (overrides: unknown): string => {
      try {
        mergeOverrides(GENERATED, overrides, "/demo");
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(problem({ bots: { snp: { options: { responseDeadlin: "4m" } } } })).toMatch(/bots\.snp\.options.*responseDeadlin/);
    expect(problem({ bots: { snp: { options: { reminderAfter: "3h" } } } })).toContain("bots.snp.options.reminderAfter: must come before responseDeadline");
    expect(problem({ bots: { snp: { options: { responseDeadline: "bientôt" } } } })).toContain("bots.snp.options.responseDeadline");
    expect(problem({ bots: { snp: { colour: "blue" } } })).toMatch(/bots\.snp.*colour/);
    expect(problem({ homeserverUrl: 8008 })).toContain("homeserverUrl");
    expect(problem(["bots"])).toContain("expected a mapping");
  });

  it("rewrites the generated file with the overrides merged, and never writes the overrides file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cpts-overrides-"));
    const configFile = join(dir, "bots.yaml");
    const overridesFile = join(dir, "overrides.yaml");
    writeFileSync(configFile, toYaml(GENERATED));
    const generated = parseBotsConfig(GENERATED, dir);
    expect(applyConfigOverrides(configFile, overridesFile, generated)).toEqual({ config: generated, overridden: false });
    const overrides = "# shorter SNP cascade for training\nbots:\n  snp:\n    options:\n      responseDeadline: 4m\n      reminderAfter: 2m\n";
    writeFileSync(overridesFile, overrides);
    const { config, overridden } = applyConfigOverrides(configFile, overridesFile, generated);
    expect(overridden).toBe(true);
    expect(config.bots["snp"]?.options).toMatchObject({ responseDeadline: "4m", reminderAfter: "2m" });
    expect((parseYaml(readFileSync(configFile, "utf8")) as typeof GENERATED).bots.snp.options).toMatchObject({ responseDeadline: "4m", regulators: ["@coordination:cpts.test"] });
    expect(readFileSync(overridesFile, "utf8")).toBe(overrides);
    writeFileSync(overridesFile, "bots:\n  snp:\n    options:\n      reminder: 2m\n");
    expect(() => applyConfigOverrides(configFile, overridesFile, generated)).toThrow(/bots\.snp\.options.*reminder/);
  });
});
