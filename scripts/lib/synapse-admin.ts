// Account creation through Synapse's shared-secret registration admin API
// (public registration is disabled: the CPTS creates its members' accounts).
import { createHmac } from "node:crypto";

export interface SharedSecretAccess {
  baseUrl: string;
  registrationSharedSecret: string;
  /** Needed only to name an account that already exists (the API does not return it then). */
  serverName?: string;
}

export interface NewUser {
  localpart: string;
  password: string;
  admin?: boolean;
  displayName?: string;
}

export interface RegisteredUser {
  userId: string;
  /** false when the account already existed (idempotent re-run of a seed). */
  created: boolean;
}

interface MatrixErrorBody {
  errcode?: string;
  error?: string;
}

export class SynapseAdminError extends Error {
  readonly status: number;
  readonly errcode: string | undefined;
  constructor(message: string, status: number, errcode: string | undefined) {
    super(message);
    this.name = "SynapseAdminError";
    this.status = status;
    this.errcode = errcode;
  }
}

function registrationMac(secret: string, nonce: string, user: NewUser): string {
  return createHmac("sha1", secret)
    .update(nonce)
    .update("\0")
    .update(user.localpart)
    .update("\0")
    .update(user.password)
    .update("\0")
    .update(user.admin ? "admin" : "notadmin")
    .digest("hex");
}

/** Registers an account; if it already exists, resolves with its user id (created: false). */
export async function registerUser(synapse: SharedSecretAccess, user: NewUser): Promise<RegisteredUser> {
  const url = `${synapse.baseUrl}/_synapse/admin/v1/register`;
  const nonceRes = await fetch(url);
  if (!nonceRes.ok) {
    throw new SynapseAdminError(`GET ${url}: HTTP ${nonceRes.status}`, nonceRes.status, undefined);
  }
  const { nonce } = (await nonceRes.json()) as { nonce: string };
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      nonce,
      username: user.localpart,
      password: user.password,
      admin: user.admin ?? false,
      ...(user.displayName !== undefined ? { displayname: user.displayName } : {}),
      mac: registrationMac(synapse.registrationSharedSecret, nonce, user),
    }),
  });
  const body = (await res.json()) as { user_id?: string } & MatrixErrorBody;
  if (res.ok && body.user_id) return { userId: body.user_id, created: true };
  if (body.errcode === "M_USER_IN_USE") {
    if (!synapse.serverName) {
      throw new SynapseAdminError(`user ${user.localpart} exists; pass serverName to get its id`, res.status, body.errcode);
    }
    return { userId: `@${user.localpart}:${synapse.serverName}`, created: false };
  }
  throw new SynapseAdminError(
    `registering ${user.localpart}: HTTP ${res.status} ${body.errcode ?? ""} ${body.error ?? ""}`.trim(),
    res.status,
    body.errcode,
  );
}

export interface AdminAccess {
  baseUrl: string;
  /** The access token of a server administrator (a bot never is one). */
  adminToken: string;
}

/** Synapse's per-user override of `rc_message`; `undefined` when the account has none. */
export interface MessageRateLimitOverride {
  messagesPerSecond: number;
  burstCount: number;
}

function overrideUrl(access: AdminAccess, userId: string): string {
  return `${access.baseUrl}/_synapse/admin/v1/users/${encodeURIComponent(userId)}/override_ratelimit`;
}

async function adminRequest(access: AdminAccess, method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${access.adminToken}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const answer = (await res.json()) as MatrixErrorBody;
  if (!res.ok) throw new SynapseAdminError(`${method} ${url}: HTTP ${res.status} ${answer.errcode ?? ""} ${answer.error ?? ""}`.trim(), res.status, answer.errcode);
  return answer;
}

/**
 * Lifts Synapse's message rate limit for one local account (0 and 0 mean no limit): a bot
 * sends dozens of messages at once (a dispatch, a mail backlog). Setting it again is harmless.
 */
export async function exemptFromMessageRateLimit(access: AdminAccess, userId: string): Promise<void> {
  await adminRequest(access, "POST", overrideUrl(access, userId), { messages_per_second: 0, burst_count: 0 });
}

export async function messageRateLimitOverride(access: AdminAccess, userId: string): Promise<MessageRateLimitOverride | undefined> {
  const body = (await adminRequest(access, "GET", overrideUrl(access, userId))) as { messages_per_second?: number; burst_count?: number };
  if (body.messages_per_second === undefined || body.burst_count === undefined) return undefined;
  return { messagesPerSecond: body.messages_per_second, burstCount: body.burst_count };
}

/** An access token by password (`m.login.password`), e.g. for the demo's administrator. */
export async function logIn(baseUrl: string, localpart: string, password: string): Promise<string> {
  const url = `${baseUrl}/_matrix/client/v3/login`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: localpart }, password, initial_device_display_name: "CPTS set-up" }),
  });
  const body = (await res.json()) as { access_token?: string } & MatrixErrorBody;
  if (!res.ok || !body.access_token) throw new SynapseAdminError(`POST ${url} as ${localpart}: HTTP ${res.status} ${body.errcode ?? ""}`.trim(), res.status, body.errcode);
  return body.access_token;
}

export async function logOut(baseUrl: string, accessToken: string): Promise<void> {
  await fetch(`${baseUrl}/_matrix/client/v3/logout`, { method: "POST", headers: { authorization: `Bearer ${accessToken}` } });
}
