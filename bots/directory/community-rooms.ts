import { EventType, Preset, Visibility, type ICreateRoomOpts, type MatrixClient } from "matrix-js-sdk";
import type { Clock } from "../core/clock.ts";
import { findMarkedRoom, inviteOnce, membershipOf } from "../core/matrix/marked-rooms.ts";
import { retryRateLimited } from "../core/matrix/rate-limit.ts";
import type { Db } from "../core/store/database.ts";
import { communityRoomsFor, COORDINATION_ROOM, SPACE_KEY, type CommunityRoomSpec } from "./community-plan.ts";
import { ENCRYPTED_ROOM_STATE } from "../core/matrix/room-encryption.ts";

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
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly cptsName: string;

  constructor(client: MatrixClient, db: Db, clock: Clock, cptsName: string) {
    this.client = client;
    this.db = db;
    this.clock = clock;
    this.cptsName = cptsName;
  }

  /** Invites a verified member to the Space, the general room and their profession's room. */
  async admit(userId: string, profession: string, specialty?: string): Promise<{ invitedTo: string[] }> {
    const [space, ...rooms] = communityRoomsFor(this.cptsName, profession, specialty);
    const spaceId = await this.ensureRoom(space!, undefined);
    const roomIds = [spaceId];
    for (const spec of rooms) roomIds.push(await this.ensureRoom(spec, spaceId));
    const invitedTo: string[] = [];
    for (const roomId of roomIds) if (await inviteOnce(this.client, roomId, userId)) invitedTo.push(roomId);
    return { invitedTo };
  }

  /** The coordinators' room, with every configured coordinator invited. */
  async ensureCoordinationRoom(coordinators: readonly string[]): Promise<string> {
    const roomId = await this.ensureRoom(COORDINATION_ROOM, undefined);
    for (const userId of coordinators) await inviteOnce(this.client, roomId, userId);
    return roomId;
  }

  /** A member removed or deactivated leaves every community room. Returns the rooms left. */
  async remove(userId: string, reason: string): Promise<string[]> {
    const left: string[] = [];
    for (const { room_id: roomId } of this.db.prepare("SELECT room_id FROM community_rooms").all() as { room_id: string }[]) {
      const membership = await membershipOf(this.client, roomId, userId);
      if (membership !== "join" && membership !== "invite") continue;
      await retryRateLimited(() => this.client.kick(roomId, userId, reason));
      left.push(roomId);
    }
    return left;
  }

  async ensureRoom(spec: CommunityRoomSpec, spaceId: string | undefined): Promise<string> {
    const known = this.db.prepare("SELECT room_id FROM community_rooms WHERE key = ?").get(spec.key) as { room_id: string } | undefined;
    if (known) return known.room_id;
    const roomId = findMarkedRoom(this.client, COMMUNITY_ROOM_STATE, spec.key) ?? (await this.createRoom(spec, spaceId));
    this.db.prepare("INSERT INTO community_rooms (key, room_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING").run(spec.key, roomId, this.clock.now());
    return roomId;
  }

  private async createRoom(spec: CommunityRoomSpec, spaceId: string | undefined): Promise<string> {
    const isSpace = spec.key === SPACE_KEY;
    const server = this.client.getDomain() ?? "";
    const options: ICreateRoomOpts = {
      name: spec.name,
      topic: spec.topic,
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      power_level_content_override: { invite: INVITE_POWER, ...(isSpace ? { events_default: 100 } : {}) },
      initial_state: [
        ENCRYPTED_ROOM_STATE,
        { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
        { type: COMMUNITY_ROOM_STATE, state_key: "", content: { key: spec.key } },
        ...(spaceId ? [{ type: EventType.SpaceParent, state_key: spaceId, content: { via: [server], canonical: true } }] : []),
      ],
      ...(isSpace ? { creation_content: { type: "m.space" } } : {}),
    };
    const { room_id: roomId } = await retryRateLimited(() => this.client.createRoom(options));
    if (spaceId) await retryRateLimited(() => this.client.sendStateEvent(spaceId, EventType.SpaceChild, { via: [server] }, roomId));
    return roomId;
  }
}
