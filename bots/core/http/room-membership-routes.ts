// A bot answers who is in the rooms it is in, for the MatrixRTC authorisation service
// (bots/calls): the bot's synced room state is the witness, so no admin account and no
// extra account in the rooms are needed. Room IDs and user IDs only: no content.
import { createHash, timingSafeEqual } from "node:crypto";
import { Router, type Request } from "express";
import { isRoomId, isUserId } from "../matrix-ids.ts";

/** The membership of a user in a room the bot is in; undefined when the bot is not in the room. */
export type RoomMembershipLookup = (roomId: string, userId: string) => Promise<{ joined: boolean } | undefined>;

export const WITNESS_PATH = "/rtc/rooms/:roomId/members/:userId";

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

function hasToken(req: Request, expected: Buffer): boolean {
  const match = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "");
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

/** `GET /rtc/rooms/:roomId/members/:userId` (bearer token) → `{ joined }`, or 404 when the bot is not in the room. */
export function roomMembershipRoutes(lookup: RoomMembershipLookup, token: string): Router {
  const expected = digest(token);
  const router = Router();
  router.get(WITNESS_PATH, async (req, res) => {
    res.set("cache-control", "no-store");
    if (!hasToken(req, expected)) {
      res.set("www-authenticate", "Bearer").status(401).json({ error: "a valid bearer token is required" });
      return;
    }
    const roomId = req.params["roomId"] ?? "";
    const userId = req.params["userId"] ?? "";
    if (!isRoomId(roomId) || !isUserId(userId)) {
      res.status(400).json({ error: "expected a room ID (!…) and a user ID (@name:server)" });
      return;
    }
    const answer = await lookup(roomId, userId);
    if (answer === undefined) res.status(404).json({ error: "this bot is not in that room" });
    else res.json(answer);
  });
  return router;
}
