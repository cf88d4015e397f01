import { EventType, type MatrixClient } from "matrix-js-sdk";
import { ManagedRooms } from "../../core/matrix/managed-rooms.ts";
import { inviteOnce, membershipOf } from "../../core/matrix/marked-rooms.ts";
import { retryRateLimited } from "../../core/matrix/rate-limit.ts";
import type { RoomId } from "../../core/matrix-ids.ts";
import type { RoomMembership } from "../domain/care-case.ts";
import { CALL_MEMBER_STATE } from "../../core/matrix/call-member.ts";

export { CALL_MEMBER_STATE };

/** Marks the rooms the care bot creates with their key ("case:C-7K3F"): found again after a crash. Holds no patient data. */
export const CARE_ROOM_STATE = "org.cpts.care_room";
const RETENTION_STATE = "m.room.retention";

/** Managers (the case's creator, and whom they name) invite and remove; the bot is above everyone. */
const MANAGER_LEVEL = 50;
const BOT_LEVEL = 100;

/**
 * Room versions from 12 on give the room's creator (the bot) a power above every level; it
 * must not appear among the users. Before them, it is listed at 100.
 */
export function creatorListedInPowerLevels(roomVersion: string): boolean {
  return roomVersion !== "org.matrix.hydra.11" && !(Number(roomVersion) >= 12);
}

/**
 * Who may do what in a care room. Names, topics and every other state event are the bot's
 * alone, so no member can put a patient's name where the server and room lists show it;
 * managers invite, remove and pin (the fiche de liaison); `@room` is the bot's (alerts).
 */
export function carePowerLevels(botUserId: string, managers: readonly string[], roomVersion: string): Record<string, unknown> {
  const bot = creatorListedInPowerLevels(roomVersion) ? { [botUserId]: BOT_LEVEL } : {};
  return {
    users: { ...bot, ...Object.fromEntries(managers.map((m) => [m, MANAGER_LEVEL])) },
    users_default: 0,
    events_default: 0,
    state_default: BOT_LEVEL,
    invite: MANAGER_LEVEL,
    kick: MANAGER_LEVEL,
    ban: BOT_LEVEL,
    redact: MANAGER_LEVEL,
    events: {
      [EventType.RoomPinnedEvents]: MANAGER_LEVEL,
      [EventType.RoomName]: BOT_LEVEL,
      [EventType.RoomTopic]: BOT_LEVEL,
      [EventType.RoomAvatar]: BOT_LEVEL,
      [EventType.RoomPowerLevels]: BOT_LEVEL,
      [EventType.RoomHistoryVisibility]: BOT_LEVEL,
      [EventType.RoomEncryption]: BOT_LEVEL,
      [EventType.RoomJoinRules]: BOT_LEVEL,
      [EventType.RoomGuestAccess]: BOT_LEVEL,
      [EventType.RoomTombstone]: BOT_LEVEL,
      [EventType.RoomServerAcl]: BOT_LEVEL,
      [RETENTION_STATE]: BOT_LEVEL,
      // Joining an RCP or a téléconsultation (Element Call) is a state event of each member's
      // own (state key = their user and device); it carries no content, only call mechanics.
      [CALL_MEMBER_STATE]: 0,
    },
    notifications: { room: BOT_LEVEL },
  };
}

export interface NewCareRoom {
  /** The marker key, unique per room ("case:C-7K3F", "expertise:AV-7K3F"). */
  readonly key: string;
  readonly name: string;
  readonly topic: string;
  readonly managers: readonly string[];
  readonly invite: readonly string[];
}

/**
 * The care bot's rooms: encrypted from the first event, invitation only, never public, no
 * guests, history visible to members from their invitation.
 */
export class CareRooms {
  private readonly client: MatrixClient;
  private readonly rooms: ManagedRooms;
  private roomVersion: Promise<string> | undefined;

  constructor(client: MatrixClient) {
    this.client = client;
    this.rooms = new ManagedRooms(client, CARE_ROOM_STATE);
  }

  /** The homeserver's default room version, asked once. */
  private defaultRoomVersion(): Promise<string> {
    this.roomVersion ??= this.client.getCapabilities().then(
      (capabilities) => capabilities["m.room_versions"]?.default ?? "10",
      (err: unknown) => {
        this.roomVersion = undefined;
        throw err;
      },
    );
    return this.roomVersion;
  }

  get botUserId(): string {
    return this.client.getSafeUserId();
  }

  /** The room of this key, created with its invitations in one request; the same room after a crash (invitations completed). */
  async ensure(room: NewCareRoom): Promise<{ roomId: RoomId; created: boolean }> {
    const ensured = await this.rooms.ensure(room.key, async () => {
      const roomVersion = await this.defaultRoomVersion();
      return {
        name: room.name,
        topic: room.topic,
        invite: room.invite,
        roomVersion,
        powerLevels: carePowerLevels(this.botUserId, room.managers, roomVersion),
      };
    });
    if (!ensured.created) await this.rooms.inviteAll(ensured.roomId, room.invite);
    return ensured;
  }

  async invite(roomId: string, userId: string): Promise<boolean> {
    return inviteOnce(this.client, roomId, userId);
  }

  async membership(roomId: string, userId: string): Promise<RoomMembership> {
    return (await membershipOf(this.client, roomId, userId)) as RoomMembership;
  }

  async remove(roomId: string, userId: string, reason: string): Promise<void> {
    await this.rooms.remove(roomId, userId, reason);
  }

  /** Gives or takes the power to invite and remove. */
  async setManager(roomId: string, userId: string, manager: boolean): Promise<void> {
    await this.updatePowerLevels(roomId, (pl) => {
      const users = { ...(pl["users"] as Record<string, number> | undefined) };
      if (manager) users[userId] = MANAGER_LEVEL;
      else delete users[userId];
      return { ...pl, users };
    });
  }

  /** Read-only for everyone but the bot (closure), or writable again (reopening). */
  async setReadOnly(roomId: string, readOnly: boolean): Promise<void> {
    await this.updatePowerLevels(roomId, (pl) => ({ ...pl, events_default: readOnly ? BOT_LEVEL : 0 }));
  }

  /** How long the server keeps the room's messages; undefined: the server's default policy. */
  async setRetention(roomId: string, maxLifetimeMs: number | undefined): Promise<void> {
    const content = maxLifetimeMs === undefined ? {} : { max_lifetime: maxLifetimeMs };
    await retryRateLimited(() => this.client.sendStateEvent(roomId, RETENTION_STATE as never, content as never, ""));
  }

  async pin(roomId: string, eventId: string): Promise<void> {
    const pinned = await this.pinned(roomId);
    if (pinned.includes(eventId)) return;
    await retryRateLimited(() => this.client.sendStateEvent(roomId, EventType.RoomPinnedEvents, { pinned: [eventId, ...pinned] } as never, ""));
  }

  /** The pinned events, as listed (Element shows the first one). */
  async pinned(roomId: string): Promise<string[]> {
    const current = await this.stateContent(roomId, EventType.RoomPinnedEvents);
    return Array.isArray(current?.["pinned"]) ? (current["pinned"] as unknown[]).filter((id): id is string => typeof id === "string") : [];
  }

  /** Pins `newId` in the place of `oldId`; the other pins stay. */
  async replacePin(roomId: string, oldId: string, newId: string): Promise<void> {
    const pinned = await this.pinned(roomId);
    const next = [newId, ...pinned.filter((id) => id !== oldId && id !== newId)];
    await retryRateLimited(() => this.client.sendStateEvent(roomId, EventType.RoomPinnedEvents, { pinned: next } as never, ""));
  }

  /** Who is in the room or invited to it, as the bot's sync shows it (every member loaded). */
  async teamOf(roomId: string): Promise<string[]> {
    const room = this.client.getRoom(roomId);
    if (!room) return [];
    await room.loadMembersIfNeeded();
    return room
      .getMembers()
      .filter((m) => m.membership === "join" || m.membership === "invite")
      .map((m) => m.userId);
  }

  private async updatePowerLevels(roomId: string, change: (content: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
    const current = (await this.stateContent(roomId, EventType.RoomPowerLevels)) ?? {};
    const next = change(current);
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    await retryRateLimited(() => this.client.sendStateEvent(roomId, EventType.RoomPowerLevels, next as never, ""));
  }

  private async stateContent(roomId: string, type: string): Promise<Record<string, unknown> | undefined> {
    try {
      return (await this.client.getStateEvent(roomId, type, "")) as Record<string, unknown>;
    } catch (err) {
      if ((err as { errcode?: string }).errcode === "M_NOT_FOUND") return undefined;
      throw err;
    }
  }
}
