import { EventType, Preset, Visibility, type ICreateRoomOpts, type MatrixClient } from "matrix-js-sdk";
import { roomId, type RoomId } from "../matrix-ids.ts";
import type { RoomKeys } from "../store/room-keys.ts";
import { findMarkedRoom, inviteOnce, membershipOf } from "./marked-rooms.ts";
import { retryRateLimited } from "./rate-limit.ts";
import { ENCRYPTED_ROOM_STATE } from "./room-encryption.ts";

/** What a module decides about a room it creates; the rest (encryption, privacy, marker) is the same for all. */
export interface ManagedRoom {
  readonly name: string;
  readonly topic?: string | undefined;
  /**
   * "invited" (default): members read the history from their invitation on. "shared": the
   * preset's default, left unset, so a newcomer reads what was said before (community rooms).
   */
  readonly historyVisibility?: "invited" | "shared";
  /** Invited by the creation request itself (an existing room's invitations are the module's to complete). */
  readonly invite?: readonly string[];
  readonly powerLevels?: ICreateRoomOpts["power_level_content_override"];
  readonly roomVersion?: string;
  /** A Space instead of a room. */
  readonly space?: boolean;
  readonly extraState?: NonNullable<ICreateRoomOpts["initial_state"]>;
}

/**
 * The rooms a bot creates for a purpose: encrypted from the first event, invitation only,
 * never published, no guests, and marked with their purpose key (a state event of the
 * module's marker type), so a room created just before a crash, and not yet recorded, is
 * found again instead of being created twice. With `keys`, the module also records them.
 */
export class ManagedRooms {
  private readonly client: MatrixClient;
  private readonly marker: string;
  private readonly keys: RoomKeys | undefined;

  constructor(client: MatrixClient, marker: string, keys?: RoomKeys) {
    this.client = client;
    this.marker = marker;
    this.keys = keys;
  }

  /** The room recorded for this key, without asking the homeserver. */
  known(key: string): RoomId | undefined {
    return this.keys?.roomOf(key);
  }

  /**
   * The room of this key: the recorded one, else the marked one the sync shows, else one
   * created now as `describe` says (called only then).
   */
  async ensure(key: string, describe: () => ManagedRoom | Promise<ManagedRoom>): Promise<{ roomId: RoomId; created: boolean }> {
    const known = this.known(key);
    if (known) return { roomId: known, created: false };
    const marked = findMarkedRoom(this.client, this.marker, key);
    const room = marked ? roomId(marked) : await this.create(key, await describe());
    this.keys?.record(key, room);
    return { roomId: room, created: !marked };
  }

  /** Invites, one by one, whoever is neither joined nor invited yet; returns those invited now. */
  async inviteAll(room: RoomId, userIds: readonly string[]): Promise<string[]> {
    const invited: string[] = [];
    for (const userId of userIds) if (await inviteOnce(this.client, room, userId)) invited.push(userId);
    return invited;
  }

  /** Removes a person who is joined or invited; false when they were not there. */
  async remove(room: string, userId: string, reason: string): Promise<boolean> {
    const membership = await membershipOf(this.client, room, userId);
    if (membership !== "join" && membership !== "invite") return false;
    await retryRateLimited(() => this.client.kick(room, userId, reason));
    return true;
  }

  private async create(key: string, room: ManagedRoom): Promise<RoomId> {
    const invite = room.invite?.length ? room.invite.filter((userId) => userId !== this.client.getSafeUserId()) : [];
    const options: ICreateRoomOpts = {
      name: room.name,
      ...(room.topic ? { topic: room.topic } : {}),
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      ...(invite.length > 0 ? { invite } : {}),
      ...(room.roomVersion ? { room_version: room.roomVersion } : {}),
      ...(room.powerLevels ? { power_level_content_override: room.powerLevels } : {}),
      ...(room.space ? { creation_content: { type: "m.space" } } : {}),
      initial_state: [
        ENCRYPTED_ROOM_STATE,
        { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
        ...((room.historyVisibility ?? "invited") === "invited" ? [{ type: EventType.RoomHistoryVisibility, state_key: "", content: { history_visibility: "invited" } }] : []),
        { type: this.marker, state_key: "", content: { key } },
        ...(room.extraState ?? []),
      ],
    };
    const { room_id: created } = await retryRateLimited(() => this.client.createRoom(options));
    return roomId(created);
  }
}
