// Who is in a room, from the bot's own synced state (all members are loaded, see
// bot-runtime.ts): the answer the call authorisation service asks the bots for.
import type { MatrixClient } from "matrix-js-sdk";
import type { RoomMembershipLookup } from "../http/room-membership-routes.ts";

export function syncedRoomMembership(client: MatrixClient): RoomMembershipLookup {
  return async (roomId, userId) => {
    const room = client.getRoom(roomId);
    if (!room || room.getMyMembership() !== "join") return undefined;
    return { joined: room.getMember(userId)?.membership === "join" };
  };
}
