import { EventType, type MatrixClient } from "matrix-js-sdk";
import type { Clock } from "../core/clock.ts";
import { ManagedRooms } from "../core/matrix/managed-rooms.ts";
import { retryRateLimited } from "../core/matrix/rate-limit.ts";
import type { RoomId } from "../core/matrix-ids.ts";
import type { Db } from "../core/store/database.ts";
import { RoomKeys } from "../core/store/room-keys.ts";
import { communityRoomsFor, COORDINATION_ROOM, SPACE_KEY, type CommunityRoomSpec } from "./community-plan.ts";

/** Marks a room as the community room of a key, so a room created just before a crash is found again. */
export const COMMUNITY_ROOM_STATE = "org.cpts.community_room";
/** Members talk; only the bot (and moderators it names) invite: invitations go to verified members only. */
const INVITE_POWER = 50;

/**
 * The CPTS Space and its community rooms, created on demand by the directory bot, all
 * encrypted, invitation-only, without guests. Idempotent: a key maps to one room for good,
 * and nobody is invited twice.
 */
export class CommunityRooms {
  private readonly client: MatrixClient;
  private readonly keys: RoomKeys;
  private readonly rooms: ManagedRooms;
  private readonly cptsName: string;

  constructor(client: MatrixClient, db: Db, clock: Clock, cptsName: string) {
    this.client = client;
    this.keys = new RoomKeys(db, "community_rooms", clock);
    this.rooms = new ManagedRooms(client, COMMUNITY_ROOM_STATE, this.keys);
    this.cptsName = cptsName;
  }

  /** Invites a verified member to the Space, the general room and their profession's room. */
  async admit(userId: string, profession: string, specialty?: string): Promise<{ invitedTo: string[] }> {
    const [space, ...rooms] = communityRoomsFor(this.cptsName, profession, specialty);
    const spaceId = await this.ensureRoom(space!, undefined);
    const roomIds = [spaceId];
    for (const spec of rooms) roomIds.push(await this.ensureRoom(spec, spaceId));
    const invitedTo: string[] = [];
    for (const roomId of roomIds) if ((await this.rooms.inviteAll(roomId, [userId])).length > 0) invitedTo.push(roomId);
    return { invitedTo };
  }

  /** The coordinators' room, with every configured coordinator invited. */
  async ensureCoordinationRoom(coordinators: readonly string[]): Promise<RoomId> {
    const roomId = await this.ensureRoom(COORDINATION_ROOM, undefined);
    await this.rooms.inviteAll(roomId, coordinators);
    return roomId;
  }

  /** A member removed or deactivated leaves every community room. Returns the rooms left. */
  async remove(userId: string, reason: string): Promise<string[]> {
    const left: string[] = [];
    for (const roomId of this.keys.roomIds()) if (await this.rooms.remove(roomId, userId, reason)) left.push(roomId);
    return left;
  }

  async ensureRoom(spec: CommunityRoomSpec, spaceId: RoomId | undefined): Promise<RoomId> {
    const server = this.client.getDomain() ?? "";
    const isSpace = spec.key === SPACE_KEY;
    const { roomId, created } = await this.rooms.ensure(spec.key, () => ({
      name: spec.name,
      topic: spec.topic,
      // The preset's history: a newcomer reads what was said before their invitation.
      historyVisibility: "shared",
      space: isSpace,
      powerLevels: { invite: INVITE_POWER, ...(isSpace ? { events_default: 100 } : {}) },
      extraState: spaceId ? [{ type: EventType.SpaceParent, state_key: spaceId, content: { via: [server], canonical: true } }] : [],
    }));
    if (created && spaceId) await retryRateLimited(() => this.client.sendStateEvent(spaceId, EventType.SpaceChild, { via: [server] }, roomId));
    return roomId;
  }
}
