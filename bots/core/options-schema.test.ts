import { describe, expect, it } from "vitest";
import { MssanteOptionsSchema } from "../../bridges/mssante/options.ts";
import { CareOptionsSchema } from "../care/care-options.ts";
import { DirectoryOptionsSchema } from "../directory/directory-bot.ts";
import { SnpOptionsSchema } from "../snp/snp-options.ts";
import { parseBotOptions } from "./bot-runtime.ts";
import { parseBotsConfig } from "./config.ts";

const CONFIG_DIR = "/etc/cpts";
const regulators = ["@coordination:cpts.test"];

describe("file paths in the bots' options", () => {
  it("are relative to the configuration file's folder, not the working directory, for every bot", () => {
    expect(process.cwd()).not.toBe(CONFIG_DIR);
    const snp = parseBotOptions(SnpOptionsSchema, { regulators, gardeApiTokenFile: "../secrets/garde.token", callsWitnessTokenFile: "witness.token" }, "snp", CONFIG_DIR);
    expect([snp.gardeApiTokenFile, snp.callsWitnessTokenFile]).toEqual(["/etc/secrets/garde.token", "/etc/cpts/witness.token"]);
    const care = parseBotOptions(CareOptionsSchema, { callsWitnessTokenFile: "./witness.token" }, "equipes", CONFIG_DIR);
    expect(care.callsWitnessTokenFile).toBe("/etc/cpts/witness.token");
    const directory = parseBotOptions(DirectoryOptionsSchema, { policyApiTokenFile: "secrets/policy.token" }, "annuaire", CONFIG_DIR);
    expect(directory.policyApiTokenFile).toBe("/etc/cpts/secrets/policy.token");
    const mailbox = (auth: Record<string, unknown>) => ({ address: "cpts@x.mssante.test", imap: { host: "imap.x" }, smtp: { host: "smtp.x" }, auth, caFile: "pki/ca.pem" });
    const mssante = parseBotOptions(
      MssanteOptionsSchema,
      {
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
        cpts: { name: "CPTS Grand Douai", coordinators: regulators, territory: { communes: ["59178"] } },
        bots: {
          equipes: {
            userId: "@equipes:cpts.test",
            passwordFile: "p",
            storageSecretFile: "s",
            recoveryKeyFile: "secrets/r",
            displayName: "Équipes",
            http: { port: 0 },
            options: { callsWitnessTokenFile: "w.token" },
          },
        },
      },
      CONFIG_DIR,
    );
    expect(config.configDir).toBe(CONFIG_DIR);
    expect(config.dataDir).toBe("/etc/cpts/data");
    expect(config.bots["equipes"]!.recoveryKeyFile).toBe("/etc/cpts/secrets/r");
    expect(parseBotOptions(CareOptionsSchema, config.bots["equipes"]!.options, "equipes", config.configDir).callsWitnessTokenFile).toBe("/etc/cpts/w.token");
  });
});
