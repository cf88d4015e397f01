// Pro Santé Connect single sign-on, end to end: a local OpenID provider with PSC's endpoints
// and claims, a Synapse whose `oidc_providers` entry is the production template's, rendered
// by the production renderer (only the URLs and the client differ), a browser-less SSO login,
// then the real annuaire bot making the new account a verified member with no coordinator.
// A second Synapse is started for this file only: the provider must be in its config.
import { randomBytes } from "node:crypto";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import type { MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../bots/database.ts";
import { findFreePort } from "../scripts/lib/free-port.ts";
import { registerUser } from "../scripts/lib/synapse-admin.ts";
import { writeHomeserverConfig } from "../scripts/lib/synapse-config.ts";
import { ensureSigningKey, launchSynapse, type SynapseProcess } from "../scripts/lib/synapse-process.ts";
import { ensureTemplate } from "../scripts/lib/synapse-template.ts";
import { prepareBot, startBotProcess, type BotProcess, type BotSetup } from "./helpers/bot-process.ts";
import { insertPeople } from "./helpers/directory-rows.ts";
import { startElementClient, type ElementClient } from "./helpers/element-client.ts";
import { createLocalPki } from "../scripts/lib/mail-pki.ts";
import { renderProductionPscProviders } from "./helpers/oidc-psc-config.ts";
import { startLocalPscProvider, subjectNameIdOf, type LocalPscProvider, type PscProfessional } from "./helpers/oidc-psc-provider.ts";
import { loginWithSso, type SsoSession } from "./helpers/oidc-sso-browser.ts";
import { until } from "./helpers/until.ts";

/** A kiné practising in the territory: in the directory, RPPS active. */
const KINE: PscProfessional = { rpps: "10009876543", givenName: "Thomas", familyName: "MOREAU", professionCode: "70" };
/** A nurse from elsewhere in France: PSC knows her, the CPTS's directory does not. */
const OUTSIDER: PscProfessional = { rpps: "10005550123", givenName: "Inès", familyName: "ROUX", professionCode: "60" };
/** The template's idp_id is "psc"; Synapse names OIDC providers "oidc-<idp_id>". */
const IDP_ID = "oidc-psc";
const ELEMENT_URL = "https://element.cpts.test/";

const body = (e: MatrixEvent): string => String(e.getContent()["body"] ?? "");

let dir: string;
let provider: LocalPscProvider;
let synapse: SynapseProcess;
let baseUrl: string;
let serverName: string;
let setup: BotSetup;
let bot: BotProcess;
const clients: ElementClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cpts-psc-"));
  const pki = createLocalPki(join(dir, "pki"));
  // Synapse (Twisted/OpenSSL) reads its trust roots from SSL_CERT_FILE: the test CA only, so
  // it verifies the provider's certificate as it would PSC's. This worker's own fetch (the
  // "browser") trusts the test CA in addition to the usual roots.
  process.env["SSL_CERT_FILE"] = pki.caFile;
  setDefaultCACertificates([...getCACertificates("default"), pki.readCa().toString()]);

  const port = await findFreePort();
  const clientSecret = randomBytes(24).toString("base64url");
  const clientSecretFile = join(dir, "psc_client_secret");
  await writeFile(clientSecretFile, clientSecret, { mode: 0o600 });
  const client = { clientId: "cpts-grand-douai", clientSecret, redirectUri: `http://127.0.0.1:${port}/_synapse/client/oidc/callback` };
  provider = await startLocalPscProvider({ pki, client, professionals: [KINE, OUTSIDER] });

  const oidcProviders = await renderProductionPscProviders({
    authBaseUrl: provider.authBaseUrl,
    walletBaseUrl: provider.walletBaseUrl,
    clientId: client.clientId,
    clientSecretFile,
  });
  const prepared = await writeHomeserverConfig({ mode: "test", dataDir: join(dir, "synapse"), port, oidcProviders, policyDirectory: inject("policyDirectory") });
  expect(`${prepared.baseUrl}/_synapse/client/oidc/callback`).toBe(client.redirectUri);
  await copyFile((await ensureTemplate("test")).path, prepared.paths.database);
  await ensureSigningKey(prepared.paths);
  synapse = await launchSynapse(prepared.paths, prepared.baseUrl);
  baseUrl = prepared.baseUrl;
  serverName = prepared.serverName;
  const access = { baseUrl, registrationSharedSecret: prepared.secrets.registration_shared_secret };

  // The coordinator has an account but never logs in during this file.
  const coordinator = await registerUser(access, { localpart: "coordination", password: randomBytes(12).toString("hex") });
  setup = await prepareBot({ botId: "annuaire", cpts: { coordinators: [coordinator.userId] } }, access);
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  insertPeople(db, [{ rpps: KINE.rpps, lastName: "Moreau", firstName: "Thomas", profession: "Masseur-Kinésithérapeute", commune: "Douai" }]);
  db.close();
  bot = await startBotProcess(setup);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  await bot?.stop();
  await synapse?.stop();
  await provider?.close();
  if (process.env["KEEP_SYNAPSE_DATA"]) console.log(`[psc-sso] data kept in ${dir}`);
  else if (dir) await rm(dir, { recursive: true, force: true });
});

const signIn = (professional: PscProfessional): Promise<SsoSession> =>
  loginWithSso({ homeserverUrl: baseUrl, idpId: IDP_ID, clientRedirectUrl: ELEMENT_URL, credentials: { [provider.loginField]: subjectNameIdOf(professional) } });

async function displayName(session: SsoSession): Promise<string | undefined> {
  const res = await fetch(`${baseUrl}/_matrix/client/v3/profile/${encodeURIComponent(session.userId)}/displayname`, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
  return ((await res.json()) as { displayname?: string }).displayname;
}

async function ask(client: ElementClient, roomId: string, text: string): Promise<string> {
  const id = await client.sendText(roomId, text);
  return body(await client.waitForMessage(roomId, (e) => e.getSender() === setup.userId && JSON.stringify(e.getContent()).includes(id)));
}

function directoryRow<T>(sql: string, ...params: unknown[]): T | undefined {
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  try {
    return db.prepare(sql).get(...params) as T | undefined;
  } finally {
    db.close();
  }
}

async function openDmWithBot(session: SsoSession): Promise<{ client: ElementClient; dm: string }> {
  const client = await startElementClient(session, baseUrl);
  clients.push(client);
  const dm = await client.createEncryptedDm(setup.userId);
  await client.waitForJoin(dm, setup.userId);
  return { client, dm };
}

describe("Pro Santé Connect", () => {
  let kine: SsoSession;

  it("signs a professional in through the production mapping: account ps + SubjectNameID, name from the claims", async () => {
    kine = await signIn(KINE);
    expect(kine.userId).toBe(`@ps8${KINE.rpps}:${serverName}`);
    expect(await displayName(kine)).toBe("Thomas MOREAU");
    expect(provider.logins).toEqual([subjectNameIdOf(KINE)]);

    // A second login (PSC's `sub` differs from one login to the next) reaches the same
    // account: the subject is SubjectNameID. It is a second device of the same person.
    const again = await signIn(KINE);
    expect(again.userId).toBe(kine.userId);
    expect(again.deviceId).not.toBe(kine.deviceId);
  });

  it("makes that account a verified member on its own `!inscription`, with no coordinator action", async () => {
    const { client, dm } = await openDmWithBot(kine);
    expect(await ask(client, dm, "!inscription")).toContain("votre compte est vérifié");

    const member = directoryRow<{ verified_by: string; active: number }>("SELECT verified_by, active FROM verified_members WHERE user_id = ?", kine.userId);
    expect(member).toEqual({ verified_by: "pro-sante-connect", active: 1 });
    const link = directoryRow<{ national_id: string }>("SELECT national_id FROM member_links WHERE user_id = ?", kine.userId);
    expect(link?.national_id).toBe(subjectNameIdOf(KINE));
    const request = directoryRow<{ status: string; decided_by: string }>("SELECT status, decided_by FROM membership_requests WHERE user_id = ?", kine.userId);
    expect(request).toEqual({ status: "approved", decided_by: "pro-sante-connect" });

    for (const key of ["space", "general", "profession:kines"]) {
      const room = directoryRow<{ room_id: string }>("SELECT room_id FROM community_rooms WHERE key = ?", key)!.room_id;
      await until(`the kiné invited to ${key}`, 30_000, () => client.client.getRoom(room)?.getMyMembership() === "invite");
    }
    await client.waitForMessage(dm, (e) => e.getSender() === setup.userId && body(e).includes("Bienvenue"));
  });

  it("lets in a professional from outside the territory, but the annuaire does not verify them", async () => {
    const outsider = await signIn(OUTSIDER);
    expect(outsider.userId).toBe(`@ps8${OUTSIDER.rpps}:${serverName}`);
    expect(await displayName(outsider)).toBe("Inès ROUX");
    const { client, dm } = await openDmWithBot(outsider);
    expect(await ask(client, dm, "!inscription")).toContain(`Je ne trouve pas le RPPS ${OUTSIDER.rpps}`);
    expect(directoryRow("SELECT 1 FROM verified_members WHERE user_id = ?", outsider.userId)).toBeUndefined();
    expect(directoryRow("SELECT 1 FROM membership_requests WHERE user_id = ?", outsider.userId)).toBeUndefined();
  });

  it("refuses a login the provider did not authenticate", async () => {
    const stranger: PscProfessional = { rpps: "10000000001", givenName: "X", familyName: "Y", professionCode: "10" };
    await expect(signIn(stranger)).rejects.toThrow(/SSO callback answered|loginToken/);
  });
});
