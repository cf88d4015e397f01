import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { registerUser, type SharedSecretAccess } from "../../scripts/lib/synapse-admin.ts";
import type {} from "./provided.ts";

export interface TestUser {
  userId: string;
  localpart: string;
  password: string;
}

/** A fresh account on the test Synapse; the random suffix keeps test files independent. */
export async function createTestUser(
  prefix: string,
  opts: { admin?: boolean; displayName?: string } = {},
  synapse: SharedSecretAccess = inject("synapse"),
): Promise<TestUser> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9._=-]/g, "-");
  const localpart = `${safePrefix}-${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("base64url");
  const { userId } = await registerUser(synapse, { localpart, password, ...opts });
  return { userId, localpart, password };
}
