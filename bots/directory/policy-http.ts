// The directory's answer to Synapse's policy module (synapse-config/cpts_policy): is this
// account a verified member of the CPTS? Served by the annuaire bot beside /healthz.
import { createHash, timingSafeEqual } from "node:crypto";
import { Router, type Request } from "express";
import { isUserId } from "../core/matrix-ids.ts";
import type { Directory } from "./directory-port.ts";

/** What the endpoint reads: whether an account is a verified member. */
export type VerifiedMemberLookup = Pick<Directory, "isVerified">;

export const POLICY_MEMBER_PATH = "/policy/members/:userId";


const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/** Constant-time comparison of the bearer token (hashing first makes the lengths equal). */
function hasToken(req: Request, expected: Buffer): boolean {
  const header = req.get("authorization") ?? "";
  const match = /^Bearer (\S+)$/.exec(header);
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

/** `GET /policy/members/:userId` with `Authorization: Bearer <token>` → `{ verified: boolean }`. */
export function policyRoutes(members: VerifiedMemberLookup, token: string): Router {
  const expected = digest(token);
  const router = Router();
  router.get(POLICY_MEMBER_PATH, (req, res) => {
    res.set("cache-control", "no-store");
    if (!hasToken(req, expected)) {
      res.set("www-authenticate", "Bearer").status(401).json({ error: "a valid bearer token is required" });
      return;
    }
    const userId = req.params["userId"] ?? "";
    if (!isUserId(userId)) {
      res.status(400).json({ error: "expected a Matrix user ID like @name:server" });
      return;
    }
    res.json({ verified: members.isVerified(userId) });
  });
  return router;
}
