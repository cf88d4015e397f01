import { describe, expect, it } from "vitest";
import { MssanteOptionsSchema } from "../../bridges/mssante/options.ts";
import { CareOptionsSchema } from "../care/care-options.ts";
import { DirectoryOptionsSchema } from "../directory/directory-bot.ts";
import { SnpOptionsSchema } from "../snp/snp-options.ts";
import { parseBotOptions } from "./bot-runtime.ts";
import { parseBotsConfig } from "./config.ts";

const CONFIG_DIR = "/etc/cpts";
const coordinators = ["@coordination:cpts.test"];

describe("file paths in the bots' options", () => {
  it("are relative to the configuration file's folder, not the working directory, for every bot", () => {
    expect(process.cwd()).not.toBe(CONFIG_DIR);
    const snp = parseBotOptions(SnpOptionsSchema, { regulators: coordinators, coordinators, territoryFile: "territoire.json", gardeApiTokenFile: "../secrets/garde.token" }, "snp", CONFIG_DIR);
    expect([snp.territoryFile, snp.gardeApiTokenFile]).toEqual(["/etc/cpts/territoire.json", "/etc/secrets/garde.token"]);
    const care = parseBotOptions(CareOptionsSchema, { coordinators, territoryFile: "./territoire.json" }, "equipes", CONFIG_DIR);
    expect(care.territoryFile).toBe("/etc/cpts/territoire.json");
    const directory = parseBotOptions(DirectoryOptionsSchema, { cptsName: "CPTS", coordinators, territoryFile: "territoire.json", policyApiTokenFile: "secrets/policy.token" }, "annuaire", CONFIG_DIR);
    expect([directory.territoryFile, directory.policyApiTokenFile]).toEqual(["/etc/cpts/territoire.json", "/etc/cpts/secrets/policy.token"]);
    const mailbox = (auth: Record<string, unknown>) => ({ address: "cpts@x.mssante.test", imap: { host: "imap.x" }, smtp: { host: "smtp.x" }, auth, caFile: "pki/ca.pem" });
    const mssante = parseBotOptions(
      MssanteOptionsSchema,
      {
        organisationName: "CPTS",
        coordinators,
        patientKeyFile: "secrets/patient.key",
        mailboxes: [mailbox({ method: "certificate", certFile: "pki/cert.pem", keyFile: "/run/secrets/key.pem" }), mailbox({ method: "token", tokenFile: "token" })],
      },
      "mssante",
      CONFIG_DIR,
    );
    expect(mssante.patientKeyFile).toBe("/etc/cpts/secrets/patient.key");
    expect(mssante.mailboxes[0]).toMatchObject({ caFile: "/etc/cpts/pki/ca.pem", auth: { certFile: "/etc/cpts/pki/cert.pem", keyFile: "/run/secrets/key.pem" } });
    expect(mssante.mailboxes[1]!.auth).toMatchObject({ tokenFile: "/etc/cpts/token" });
  });

  it("come from the same place as the configuration's own files: parseBotsConfig gives the bots its folder", () => {
    const config = parseBotsConfig(
      {
        homeserverUrl: "http://127.0.0.1:8008",
        dataDir: "data",
        invites: { acceptFrom: "local-users" },
        bots: { equipes: { userId: "@equipes:cpts.test", passwordFile: "p", storageSecretFile: "s", displayName: "Équipes", http: { port: 0 }, options: { coordinators, territoryFile: "t.json" } } },
      },
      CONFIG_DIR,
    );
    expect(config.configDir).toBe(CONFIG_DIR);
    expect(config.dataDir).toBe("/etc/cpts/data");
    expect(parseBotOptions(CareOptionsSchema, config.bots["equipes"]!.options, "equipes", config.configDir).territoryFile).toBe("/etc/cpts/t.json");
  });
});
