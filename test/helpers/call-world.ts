// The call stack for tests and the call benchmark, as local processes on loopback: the real
// LiveKit (scripts/install-livekit.sh), the real authorisation service (bots/calls), and the
// endpoints it asks — the bots' membership witness and the annuaire's policy routes, real
// code, answering from the real Synapse (a room member's view) and a set of verified members.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { startRtcAuth, type RunningRtcAuth } from "../../bots/calls/main.ts";
import { rtcAuthOptionsFromEnv } from "../../bots/calls/rtc-auth-options.ts";
import { createLogger } from "../../bots/core/logger.ts";
import { roomMembershipRoutes } from "../../bots/core/http/room-membership-routes.ts";
import { policyRoutes } from "../../bots/directory/policy-http.ts";
import { findFreePort } from "../../scripts/lib/free-port.ts";
import { startLiveKit, type RunningLiveKit } from "../../scripts/lib/livekit.ts";

export interface MatrixSession {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId: string;
}

export async function login(homeserver: string, user: string, password: string): Promise<MatrixSession> {
  const res = await fetch(`${homeserver}/_matrix/client/v3/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user }, password }),
  });
  if (!res.ok) throw new Error(`login ${user}: HTTP ${res.status}`);
  const body = (await res.json()) as { user_id: string; access_token: string; device_id: string };
  return { userId: body.user_id, accessToken: body.access_token, deviceId: body.device_id };
}

export async function matrixCall<T>(homeserver: string, session: MatrixSession, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { authorization: `Bearer ${session.accessToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** What Element Call asks the homeserver for before it asks the authorisation service. */
export function requestOpenIdToken(homeserver: string, session: MatrixSession): Promise<{ access_token: string; matrix_server_name: string; token_type: string; expires_in: number }> {
  return matrixCall(homeserver, session, "POST", `/user/${encodeURIComponent(session.userId)}/openid/request_token`, {});
}

/** A room created by `owner` with `members` joined. */
export async function roomWith(homeserver: string, owner: MatrixSession, members: readonly MatrixSession[]): Promise<string> {
  const { room_id } = await matrixCall<{ room_id: string }>(homeserver, owner, "POST", "/createRoom", { preset: "private_chat", invite: members.map((m) => m.userId) });
  for (const member of members) await matrixCall(homeserver, member, "POST", `/rooms/${encodeURIComponent(room_id)}/join`, {});
  return room_id;
}

export interface CallWorld {
  readonly authUrl: string;
  readonly liveKit: RunningLiveKit;
  readonly verified: Set<string>;
  /** Where the witness looks: rooms this session (playing the care bot) is in. */
  witness: MatrixSession | undefined;
  stop(): Promise<void>;
}

async function listen(app: express.Express): Promise<{ port: number; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

export async function startCallWorld(homeserver: string, serverName: string): Promise<CallWorld> {
  const dir = await mkdtemp(join(tmpdir(), "cpts-calls-"));
  const secret = randomBytes(32).toString("base64url");
  const directoryToken = randomBytes(16).toString("hex");
  const witnessToken = randomBytes(16).toString("hex");
  await writeFile(join(dir, "livekit-keys"), `cpts-test: ${secret}\n`, { mode: 0o600 });
  await writeFile(join(dir, "directory-token"), directoryToken, { mode: 0o600 });
  await writeFile(join(dir, "witness-token"), witnessToken, { mode: 0o600 });
  const liveKit = await startLiveKit({ dataDir: dir, port: await findFreePort(), rtcPort: await findFreePort(), keyFile: join(dir, "livekit-keys") });

  const verified = new Set<string>();
  const world: CallWorld = { authUrl: "", liveKit, verified, witness: undefined, stop: async () => {} };
  const bots = express();
  bots.use(policyRoutes({ isVerified: (userId) => verified.has(userId) }, directoryToken));
  bots.use(
    roomMembershipRoutes(async (roomId, userId) => {
      if (!world.witness) return undefined;
      const res = await fetch(`${homeserver}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`, { headers: { authorization: `Bearer ${world.witness.accessToken}` } });
      if (res.status === 403 || res.status === 404) return undefined;
      const { joined } = (await res.json()) as { joined: Record<string, unknown> };
      return { joined: userId in joined };
    }, witnessToken),
  );
  const botsServer = await listen(bots);

  const rtcAuth: RunningRtcAuth = await startRtcAuth(
    rtcAuthOptionsFromEnv({
      RTC_AUTH_PORT: "0",
      RTC_AUTH_SERVER_NAME: serverName,
      RTC_AUTH_HOMESERVER_URL: homeserver,
      LIVEKIT_URL: liveKit.url,
      LIVEKIT_API_URL: liveKit.apiUrl,
      LIVEKIT_KEY_FILE: join(dir, "livekit-keys"),
      RTC_AUTH_DIRECTORY_URL: `http://127.0.0.1:${botsServer.port}`,
      RTC_AUTH_DIRECTORY_TOKEN_FILE: join(dir, "directory-token"),
      RTC_AUTH_WITNESS_URLS: `http://127.0.0.1:${botsServer.port}`,
      RTC_AUTH_WITNESS_TOKEN_FILE: join(dir, "witness-token"),
    }),
    createLogger("rtc-auth", process.env["LOG_LEVEL"] ?? "silent"),
  );
  return Object.assign(world, {
    authUrl: `http://127.0.0.1:${rtcAuth.port}`,
    stop: async () => {
      await rtcAuth.close();
      await botsServer.close();
      await liveKit.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

/** Element Call's legacy request (POST /sfu/get). */
export async function requestCallToken(world: CallWorld, body: unknown): Promise<{ status: number; body: { url?: string; jwt?: string; errcode?: string; error?: string } }> {
  const res = await fetch(`${world.authUrl}/sfu/get`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { url?: string; jwt?: string; errcode?: string; error?: string } };
}
