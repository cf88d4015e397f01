import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { stringify as toYaml } from "yaml";
import { databaseFileOf } from "../../bots/core/bot-runtime.ts";
import { parseBotsConfig, type BotsConfig } from "../../bots/core/config.ts";
import { systemClock } from "../../bots/core/clock.ts";
import { openDatabase, type Db } from "../../bots/database.ts";
import { importDirectory } from "../../bots/directory/import/import-directory.ts";
import { Membership } from "../../bots/directory/membership.ts";
import { Profiles } from "../../bots/directory/profile/profile-store.ts";
import { VerifiedMembers } from "../../bots/core/store/verified-members.ts";
import type { DemoBotSpec, DemoMailDescription } from "../lib/demo-mail.ts";
import { exemptFromMessageRateLimit, logIn, logOut } from "../lib/synapse-admin.ts";
import { registerUser, type PolicyDirectory, type RunningSynapse } from "../lib/synapse.ts";
import { DEMO_BOTS, DEMO_PEOPLE, demoCptsSection } from "./demo-cpts.ts";
import { DEMO_PROFESSIONALS, writeDemoExtract } from "./demo-directory.ts";

export interface DemoAccount {
  readonly userId: string;
  readonly password: string;
  readonly role: string;
  readonly profession: string;
  readonly displayName: string;
  /** The professional's RPPS number in the demo directory. */
  readonly rpps?: string;
  /** Asked by Element at the first sign-in ("Confirm your identity"): then the bots show as verified. */
  readonly recoveryKey: string;
}

export interface DemoDescription {
  readonly homeserver: string;
  readonly serverName: string;
  readonly bots: Record<string, string>;
  readonly accounts: DemoAccount[];
  /** The MSSanté demo mailbox and addresses, when the bridge is in the demo (see scripts/lib/demo-mail.ts). */
  readonly mail?: DemoMailDescription;
}

export interface SeededDemo {
  readonly demo: DemoDescription;
  readonly botsConfigFile: string;
  readonly botsConfig: BotsConfig;
  /** What the call authorisation service asks, and with which tokens (files under data/secrets/). */
  readonly calls: { readonly directoryUrl: string; readonly directoryTokenFile: string; readonly witnessUrls: readonly string[]; readonly witnessTokenFile: string };
}

/** The bots that answer the call authorisation service: the annuaire (verified members), the care and SNP bots (who is in their case rooms). */
const CALL_DIRECTORY_BOT = "annuaire";
const CALL_WITNESS_BOTS = ["equipes", "snp"] as const;

const secretFile = (secretsDir: string, name: string, bytes: number): string => {
  const file = join(secretsDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(bytes).toString("base64url"), { mode: 0o600 });
  return file;
};

/**
 * Where the demo Synapse's policy module asks who is a verified member: the annuaire bot's
 * HTTP port, with a token created here, before Synapse starts (the module reads it at
 * start; the annuaire serves the endpoint with the same file).
 */
export function demoPolicyDirectory(dataDir: string, botsHttpBasePort: number): PolicyDirectory {
  const secretsDir = join(dataDir, "secrets");
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const annuairePort = botsHttpBasePort + Object.keys(DEMO_BOTS).indexOf("annuaire");
  return { url: `http://127.0.0.1:${annuairePort}`, tokenFile: secretFile(secretsDir, "cpts-policy.token", 32) };
}

/**
 * Creates (idempotently) the demo accounts and the bots' accounts and secrets, writes the
 * bots' configuration and `data/demo.json`. Passwords are generated once and kept in
 * `data/secrets/` (never in git), so a second `npm start` shows the same ones.
 */
export async function seedDemo(
  synapse: RunningSynapse,
  dataDir: string,
  botsHttpBasePort: number,
  extra: { readonly bots?: Record<string, DemoBotSpec>; readonly mail?: DemoMailDescription } = {},
): Promise<SeededDemo> {
  const secretsDir = join(dataDir, "secrets");
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const secret = (name: string, bytes: number): string => readFileSync(secretFile(secretsDir, name, bytes), "utf8").trim();
  const recoveryKey = (name: string): string => {
    const file = join(secretsDir, name);
    if (!existsSync(file)) writeFileSync(file, `${encodeRecoveryKey(randomBytes(32))}\n`, { mode: 0o600 });
    return readFileSync(file, "utf8").trim();
  };
  const policyTokenFile = demoPolicyDirectory(dataDir, botsHttpBasePort).tokenFile;
  const admin = { ...synapse, serverName: synapse.serverName };

  const accounts: DemoAccount[] = [];
  for (const person of DEMO_PEOPLE) {
    const password = secret(`${person.localpart}.password`, 9);
    const { userId } = await registerUser(admin, { localpart: person.localpart, password, displayName: person.displayName });
    const rpps = DEMO_PROFESSIONALS.find((p) => p.localpart === person.localpart)?.rpps;
    accounts.push({
      userId,
      password,
      role: person.role,
      profession: person.profession,
      displayName: person.displayName,
      ...(rpps ? { rpps } : {}),
      recoveryKey: recoveryKey(`${person.localpart}.recovery-key`),
    });
  }

  const bots: Record<string, string> = {};
  const botsSection: Record<string, unknown> = {};
  for (const [index, [role, bot]] of Object.entries({ ...DEMO_BOTS, ...extra.bots }).entries()) {
    const password = secret(`bot-${role}.password`, 24);
    secret(`bot-${role}.store-secret`, 32);
    recoveryKey(`bot-${role}.recovery-key`);
    const { userId } = await registerUser(admin, { localpart: bot.localpart, password, displayName: bot.displayName });
    bots[role] = userId;
    const settings = bot.settings?.(synapse.serverName) ?? {};
    if (role === "annuaire") settings["options"] = { ...(settings["options"] as object), policyApiTokenFile: policyTokenFile };
    botsSection[role] = {
      userId,
      passwordFile: `secrets/bot-${role}.password`,
      storageSecretFile: `secrets/bot-${role}.store-secret`,
      recoveryKeyFile: `secrets/bot-${role}.recovery-key`,
      displayName: bot.displayName,
      http: { host: "127.0.0.1", port: botsHttpBasePort + index },
      ...settings,
    };
  }

  await exemptDemoBotsFromMessageRateLimit(synapse, secret("demo-admin.password", 24), Object.values(bots));

  secret("calls-witness.token", 24);
  // The call service asks the annuaire's policy endpoint, as Synapse's policy module does: one token.
  const directoryTokenFile = policyTokenFile;
  const witnessTokenFile = join(secretsDir, "calls-witness.token");
  const withOptions = (role: string, more: Record<string, unknown>): void => {
    const bot = botsSection[role] as { options?: Record<string, unknown> };
    bot.options = { ...bot.options, ...more };
  };
  for (const role of CALL_WITNESS_BOTS) withOptions(role, { callsWitnessTokenFile: witnessTokenFile });
  const httpOf = (role: string): string => `http://127.0.0.1:${(botsSection[role] as { http: { port: number } }).http.port}`;
  const calls = { directoryUrl: httpOf(CALL_DIRECTORY_BOT), directoryTokenFile, witnessUrls: CALL_WITNESS_BOTS.map(httpOf), witnessTokenFile };

  const rawConfig = {
    homeserverUrl: synapse.baseUrl,
    dataDir: "bots",
    defaultLanguage: "fr",
    cpts: demoCptsSection(synapse.serverName),
    invites: { acceptFrom: "verified-members", allowedUsers: [], allowedServers: [] },
    bots: botsSection,
  };
  const botsConfigFile = join(dataDir, "bots.yaml");
  writeFileSync(botsConfigFile, `# Generated by npm start for the local demo; see bots/config.example.yaml.\n${toYaml(rawConfig)}`);
  const botsConfig = parseBotsConfig(rawConfig, dataDir);

  const db = openDatabase(databaseFileOf(botsConfig));
  try {
    const extract = writeDemoExtract(join(dataDir, "demo-directory"));
    await importDirectory(db, extract, botsConfig.cpts.territory);
    linkDemoMembers(db, accounts);
  } finally {
    db.close();
  }

  const demo: DemoDescription = { homeserver: synapse.baseUrl, serverName: synapse.serverName, bots, accounts, ...(extra.mail ? { mail: extra.mail } : {}) };
  writeFileSync(join(dataDir, "demo.json"), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return { demo, botsConfigFile, botsConfig, calls };
}

/**
 * A dispatch sends dozens of DMs at once: the bots are exempt from `rc_message`, set with an
 * administrator's token (a bot is never a server administrator), here a demo account kept
 * for that alone.
 */
async function exemptDemoBotsFromMessageRateLimit(synapse: RunningSynapse, adminPassword: string, botUserIds: readonly string[]): Promise<void> {
  await registerUser({ ...synapse, serverName: synapse.serverName }, { localpart: "demo-admin", password: adminPassword, admin: true });
  const adminToken = await logIn(synapse.baseUrl, "demo-admin", adminPassword);
  try {
    for (const userId of botUserIds) await exemptFromMessageRateLimit({ baseUrl: synapse.baseUrl, adminToken }, userId);
  } finally {
    await logOut(synapse.baseUrl, adminToken);
  }
}

/**
 * The demo professionals are verified members linked to their RPPS, as if the coordinator
 * had approved them, and in the SNP pool; the coordinator account is verified without a
 * directory entry.
 */
function linkDemoMembers(db: Db, accounts: readonly DemoAccount[]): void {
  const membership = new Membership(db, systemClock);
  const verified = new VerifiedMembers(db, systemClock);
  const profiles = new Profiles(db, systemClock);
  for (const account of accounts) {
    if (!account.rpps) {
      if (!verified.isVerified(account.userId)) verified.markVerified(account.userId, "demo-seed");
      continue;
    }
    if (membership.memberOf(account.userId)) continue;
    const person = membership.findByRpps(account.rpps);
    if (!person) throw new Error(`demo directory has no RPPS ${account.rpps}`);
    const request = membership.pendingRequestOf(account.userId) ?? membership.openRequest(account.userId, person.nationalId, true);
    membership.approve(request.id, "demo-seed");
    if (profiles.get(account.userId).snp === null) profiles.set(account.userId, "snp", true);
  }
}
