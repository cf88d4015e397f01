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
