// The CPTS policy module (synapse-config/cpts_policy) in a real Synapse configured exactly
// as the demo's (`npm start`: synapse-config/local.yaml), asking the real annuaire endpoint
// (bots/directory/policy-http.ts) over HTTP, which reads a real SQLite verified_members
// table. A second Synapse is started for this file only, so that the directory can be
// stopped and the demo's cache and timeout are the ones measured.
import { randomBytes } from "node:crypto";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer, type Server as TcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../bots/core/clock.ts";
import { openDatabase, type Db } from "../bots/database.ts";
import { VerifiedMembers } from "../bots/core/store/verified-members.ts";
import { policyRoutes } from "../bots/directory/policy-http.ts";
import { findFreePort } from "../scripts/lib/free-port.ts";
import { registerUser } from "../scripts/lib/synapse-admin.ts";
import { writeHomeserverConfig } from "../scripts/lib/synapse-config.ts";
import { ensureSigningKey, launchSynapse, type SynapseProcess } from "../scripts/lib/synapse-process.ts";
import { ensureTemplate } from "../scripts/lib/synapse-template.ts";

const MEGOLM = "m.megolm.v1.aes-sha2";
// synapse-config/local.yaml's directory.cache_seconds and timeout_seconds.
const CACHE_SECONDS = 30;
const TIMEOUT_SECONDS = 5;

interface Account {
  readonly userId: string;
  readonly token: string;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

let dataDir: string;
let db: Db;
let members: VerifiedMembers;
let directory: Server;
let directoryPort: number;
let synapse: SynapseProcess;
let baseUrl: string;
let sharedSecret: string;
let botLocalpart: string;
/** A CPTS bot account (listed in the module's `bots`), not verified in the directory. */
let bot: Account;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cpts-synapse-policy-"));
  const token = randomBytes(24).toString("base64url");
  const tokenFile = join(dataDir, "policy-token");
  await writeFile(tokenFile, token, { mode: 0o600 });

  db = openDatabase(join(dataDir, "bots", "bots.db"));
  members = new VerifiedMembers(db, systemClock);
  directoryPort = await findFreePort();
  directory = await listen(express().use(policyRoutes(members, token)), directoryPort);

  // One of the demo's bots (local.yaml's `bots`).
  botLocalpart = "annuaire";
  const synapseDir = join(dataDir, "synapse");
  const prepared = await writeHomeserverConfig({
    mode: "local",
    dataDir: synapseDir,
    port: await findFreePort(),
    policyDirectory: { url: `http://127.0.0.1:${directoryPort}`, tokenFile },
  });
  await copyFile((await ensureTemplate("local")).path, prepared.paths.database);
  await ensureSigningKey(prepared.paths);
  synapse = await launchSynapse(prepared.paths, prepared.baseUrl);
  baseUrl = prepared.baseUrl;
  sharedSecret = prepared.secrets.registration_shared_secret;
  bot = await account("bot", { localpart: botLocalpart });
});

afterAll(async () => {
  await synapse?.stop();
  await new Promise<void>((resolve) => (directory?.listening ? directory.close(() => resolve()) : resolve()));
  db?.close();
  if (process.env["KEEP_SYNAPSE_DATA"]) console.log(`[synapse-policy] data kept in ${dataDir}`);
  else if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, "127.0.0.1", () => resolve(server));
    server.once("error", reject);
  });
}

async function account(prefix: string, opts: { verified?: boolean; admin?: boolean; localpart?: string } = {}): Promise<Account> {
  const localpart = opts.localpart ?? `${prefix}-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("base64url");
  const { userId } = await registerUser({ baseUrl, registrationSharedSecret: sharedSecret }, { localpart, password, admin: opts.admin ?? false });
  if (opts.verified) members.markVerified(userId, "@coordination:test");
  const login = await fetch(`${baseUrl}/_matrix/client/v3/login`, {
    method: "POST",
    body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: localpart }, password }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  return { userId, token };
}

async function call(who: Account, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${baseUrl}/_matrix/client/v3${path}`, {
    method,
    headers: { authorization: `Bearer ${who.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function createRoom(who: Account, request: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(who, "POST", "/createRoom", { preset: "private_chat", ...request });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body["room_id"] as string;
}

const room = (roomId: string): string => `/rooms/${encodeURIComponent(roomId)}`;
const invite = (who: Account, roomId: string, userId: string): Promise<Answer> => call(who, "POST", `${room(roomId)}/invite`, { user_id: userId });
const setState = (who: Account, roomId: string, type: string, content: unknown): Promise<Answer> =>
  call(who, "PUT", `${room(roomId)}/state/${type}/`, content);
const joinedRooms = async (who: Account): Promise<string[]> => (await call(who, "GET", "/joined_rooms")).body["joined_rooms"] as string[];

function expectRefused(answer: Answer, words: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(403);
  expect(answer.body["errcode"]).toBe("M_FORBIDDEN");
  expect(String(answer.body["error"])).toContain(words);
}

describe("invitations", () => {
  it("go to verified members only, whoever invites, admins included", async () => {
    const [alice, bob, mallory, admin] = await Promise.all([
      account("alice", { verified: true }),
      account("bob", { verified: true }),
      account("mallory"),
      account("admin", { admin: true, verified: true }),
    ]);
    const roomId = await createRoom(alice, { name: "Équipe de soins" });
    // An account that is not a verified member (anyone can sign in with Pro Santé Connect) invites nobody.
    const malloryRoom = await createRoom(mallory);
    expectRefused(await invite(mallory, malloryRoom, bob.userId), "n'est pas encore un membre vérifié");
    expectRefused(await invite(alice, roomId, mallory.userId), "n'est pas un membre vérifié de la CPTS");
    expect((await invite(alice, roomId, bob.userId)).status).toBe(200);

    const adminRoom = await createRoom(admin);
    expectRefused(await invite(admin, adminRoom, mallory.userId), mallory.userId);

    // Invitations in /createRoom are checked before the room exists: nothing is left behind.
    const before = await joinedRooms(alice);
    expectRefused(await call(alice, "POST", "/createRoom", { invite: [bob.userId, mallory.userId] }), mallory.userId);
    expect(await joinedRooms(alice)).toEqual(before);

    expectRefused(await invite(alice, roomId, "@eve:matrix.org"), "matrix.org");
  });

  it("see a verification (or a removal) in the directory without restarting Synapse", async () => {
    const [alice, dana, bob] = await Promise.all([account("alice", { verified: true }), account("dana"), account("bob", { verified: true })]);
    const roomId = await createRoom(alice);
    expectRefused(await invite(alice, roomId, dana.userId), dana.userId);
    expect((await invite(alice, roomId, bob.userId)).status).toBe(200);
    members.markVerified(dana.userId, "@coordination:test");
    members.deactivate(bob.userId);
    expect((await call(alice, "POST", `${room(roomId)}/kick`, { user_id: bob.userId })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, CACHE_SECONDS * 1000 + 200));
    expect((await invite(alice, roomId, dana.userId)).status).toBe(200);
    expectRefused(await invite(alice, roomId, bob.userId), bob.userId);
  });

  it("let any local account open a conversation with a CPTS bot; the bots invite verified members only", async () => {
    const [newcomer, eric, refused] = await Promise.all([account("newcomer"), account("eric"), account("refused")]);
    const dm = await createRoom(newcomer, { preset: "trusted_private_chat", is_direct: true, invite: [bot.userId] });
    expect((await call(bot, "POST", `${room(dm)}/join`, {})).status).toBe(200);
    // A bot may write to anyone in a conversation of its own (a refused applicant, a removed member).
    await createRoom(bot, { preset: "trusted_private_chat", is_direct: true, invite: [refused.userId] });
    expectRefused(await call(bot, "POST", "/createRoom", { is_direct: true, invite: [refused.userId, eric.userId] }), refused.userId);

    const general = await createRoom(bot, { name: "Général" });
    expectRefused(await invite(bot, general, eric.userId), eric.userId);
    // The annuaire verifies Eric, then invites him at once: its invitations skip the cache.
    members.markVerified(eric.userId, "@annuaire:test");
    expect((await invite(bot, general, eric.userId)).status).toBe(200);
  });
});

describe("encryption", () => {
  it("every room is created encrypted, even when the client does not ask for it", async () => {
    const alice = await account("alice", { verified: true });
    const roomId = await createRoom(alice, { initial_state: [] });
    const encryption = await call(alice, "GET", `${room(roomId)}/state/m.room.encryption/`);
    expect(encryption.body).toEqual({ algorithm: MEGOLM });
    // Synapse's private presets would open it to guests; the module closes it from the start.
    expect((await call(alice, "GET", `${room(roomId)}/state/m.room.guest_access/`)).body).toEqual({ guest_access: "forbidden" });
    expectRefused(
      await call(alice, "POST", "/createRoom", { initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "none" } }] }),
      "chiffré de bout en bout",
    );
  });

  it("cannot be turned off, changed or redacted, not even by a server admin", async () => {
    const [alice, admin] = await Promise.all([account("alice", { verified: true }), account("admin", { admin: true })]);
    for (const who of [alice, admin]) {
      const roomId = await createRoom(who);
      expectRefused(await setState(who, roomId, "m.room.encryption", {}), "chiffrement ne peut être");
      expectRefused(await setState(who, roomId, "m.room.encryption", { algorithm: MEGOLM, rotation_period_ms: 1000 }), "chiffré");
      const state = (await call(who, "GET", `${room(roomId)}/state`)).body as unknown as { type: string; event_id: string }[];
      const encryptionEvent = state.find((e) => e.type === "m.room.encryption")!;
      expectRefused(await call(who, "PUT", `${room(roomId)}/redact/${encodeURIComponent(encryptionEvent.event_id)}/t${Date.now()}`, {}), "chiffré");
      expect((await call(who, "GET", `${room(roomId)}/state/m.room.encryption/`)).body).toEqual({ algorithm: MEGOLM });
      // Re-sending the same setting changes nothing and is accepted.
      expect((await setState(who, roomId, "m.room.encryption", { algorithm: MEGOLM })).status).toBe(200);
    }
  });
});

describe("no public room", () => {
  it("cannot be created public or published, not even by a server admin", async () => {
    const [alice, admin] = await Promise.all([account("alice", { verified: true }), account("admin", { admin: true })]);
    for (const who of [alice, admin]) {
      const before = await joinedRooms(who);
      expectRefused(await call(who, "POST", "/createRoom", { visibility: "public" }), "répertoire des salons");
      expectRefused(await call(who, "POST", "/createRoom", { preset: "public_chat" }), "ne peuvent pas être publics");
      expectRefused(
        await call(who, "POST", "/createRoom", { initial_state: [{ type: "m.room.guest_access", state_key: "", content: { guest_access: "can_join" } }] }),
        "invités",
      );
      expect(await joinedRooms(who)).toEqual(before);

      const roomId = await createRoom(who);
      // Synapse answers this one with its own words ("Not allowed to publish room").
      expect((await call(who, "PUT", `/directory/list/room/${encodeURIComponent(roomId)}`, { visibility: "public" })).status).toBe(403);
      expectRefused(await setState(who, roomId, "m.room.join_rules", { join_rule: "public" }), "publics");
      expectRefused(await setState(who, roomId, "m.room.history_visibility", { history_visibility: "world_readable" }), "lisible par tout le monde");
      expectRefused(await setState(who, roomId, "m.room.guest_access", { guest_access: "can_join" }), "invités");
      expect((await setState(who, roomId, "m.room.join_rules", { join_rule: "invite" })).status).toBe(200);
      const publicRooms = await call(who, "GET", "/publicRooms");
      expect((publicRooms.body["chunk"] as { room_id: string }[]).map((r) => r.room_id)).not.toContain(roomId);
    }
  });
});

describe("direct messages", () => {
  it("keep two people (the CPTS bots aside)", async () => {
    const [alice, bob, carol] = await Promise.all([
      account("alice", { verified: true }),
      account("bob", { verified: true }),
      account("carol", { verified: true }),
    ]);
    expectRefused(await call(alice, "POST", "/createRoom", { is_direct: true, invite: [bob.userId, carol.userId] }), "deux personnes");
    const dm = await createRoom(alice, { preset: "trusted_private_chat", is_direct: true, invite: [bob.userId] });
    expect((await call(bob, "POST", `${room(dm)}/join`, {})).status).toBe(200);
    expectRefused(await invite(alice, dm, carol.userId), "deux personnes");
    expectRefused(await invite(bob, dm, carol.userId), "deux personnes");
    expect((await invite(alice, dm, bot.userId)).status).toBe(200);

    const group = await createRoom(alice, { invite: [bob.userId] });
    expect((await invite(alice, group, carol.userId)).status).toBe(200);
  });
});

describe("when the directory does not answer", () => {
  it("invitations to people are refused (after the timeout), to the bots still accepted", async () => {
    const [alice, fiona, gabriel] = await Promise.all([
      account("alice", { verified: true }),
      account("fiona", { verified: true }),
      account("gabriel", { verified: true }),
    ]);
    const roomId = await createRoom(alice);
    await new Promise<void>((resolve) => directory.close(() => resolve()));

    // Connected but silent: the module gives up after timeout_seconds.
    const sockets: Socket[] = [];
    const silent: TcpServer = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(directoryPort, "127.0.0.1", () => resolve()));
    const started = Date.now();
    expectRefused(await invite(alice, roomId, fiona.userId), "annuaire de la CPTS ne répond pas");
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 50);
    // The inviter and the invitee may each be asked (timeout_seconds each): still far from
    // Synapse's own 60 s HTTP timeout.
    expect(waited).toBeLessThan(2 * TIMEOUT_SECONDS * 1000 + 5_000);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));

    // Nobody listening at all.
    expectRefused(await invite(alice, roomId, gabriel.userId), "ne répond pas");
    expect((await invite(alice, roomId, bot.userId)).status).toBe(200);
  });
});
