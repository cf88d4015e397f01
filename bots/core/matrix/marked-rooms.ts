import { EventType, type MatrixClient } from "matrix-js-sdk";
import { retryRateLimited } from "./rate-limit.ts";

/**
 * A room a bot creates for a purpose carries a state event naming that purpose (its key), so
 * a room created just before a crash, and not yet recorded, is found again instead of being
 * created twice.
 */
export function findMarkedRoom(client: MatrixClient, stateType: string, key: string): string | undefined {
  return client
    .getRooms()
    .find((room) => room.getMyMembership() === "join" && room.currentState.getStateEvents(stateType, "")?.getContent()["key"] === key)?.roomId;
}

/** Asked of the homeserver, not the local cache: an invitation sent a moment ago counts. */
export async function membershipOf(client: MatrixClient, roomId: string, userId: string): Promise<string | undefined> {
  try {
    const content = (await client.getStateEvent(roomId, EventType.RoomMember, userId)) as { membership?: string };
    return content.membership;
  } catch (err) {
    if ((err as { errcode?: string }).errcode === "M_NOT_FOUND") return undefined;
    throw err;
  }
}

/** Invites unless already joined or invited; true when an invitation was sent. */
export async function inviteOnce(client: MatrixClient, roomId: string, userId: string): Promise<boolean> {
  const membership = await membershipOf(client, roomId, userId);
  if (membership === "join" || membership === "invite") return false;
  await retryRateLimited(() => client.invite(roomId, userId));
  return true;
}
