import { EventType, Preset, Visibility, type MatrixClient } from "matrix-js-sdk";
import type { Clock } from "../core/clock.ts";
import { CALL_MEMBER_STATE } from "../core/matrix/call-member.ts";
import { findMarkedRoom, inviteOnce } from "../core/matrix/marked-rooms.ts";
import { retryRateLimited } from "../core/matrix/rate-limit.ts";
import { ENCRYPTED_ROOM_STATE } from "../core/matrix/room-encryption.ts";
import type { Db } from "../core/store/database.ts";

/** Marks the rooms the SNP bot creates (regulation room, case rooms) with their key: found again after a crash. */
export const SNP_ROOM_STATE = "org.cpts.snp_room";
const REGULATION_KEY = "regulation";

/**
 * The rooms of SNP dispatch: the regulation room (regulators) and one room per accepted
 * request (requester + acceptor). Encrypted, invitation-only, no guests, history visible from
 * the invitation; names carry a request code, never patient data.
 */
export class SnpRooms {
  private readonly client: MatrixClient;
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(client: MatrixClient, db: Db, clock: Clock) {
    this.client = client;
    this.db = db;
    this.clock = clock;
  }

  regulationRoomId(): string | undefined {
    return this.known(REGULATION_KEY);
  }

  async ensureRegulationRoom(name: string, topic: string, regulators: readonly string[]): Promise<string> {
    const roomId = await this.ensure(REGULATION_KEY, name, topic);
    for (const userId of regulators) await inviteOnce(this.client, roomId, userId);
    return roomId;
  }

  /** The case room of a request, with its members invited; the same room after a crash or a retry. */
  async ensureCaseRoom(code: string, name: string, members: readonly string[]): Promise<string> {
    const roomId = await this.ensure(`case:${code}`, name, undefined);
    for (const userId of members) await inviteOnce(this.client, roomId, userId);
    return roomId;
  }

  private known(key: string): string | undefined {
    return (this.db.prepare("SELECT room_id FROM snp_rooms WHERE key = ?").get(key) as { room_id: string } | undefined)?.room_id;
  }

  private async ensure(key: string, name: string, topic: string | undefined): Promise<string> {
    const known = this.known(key);
    if (known) return known;
    const roomId = findMarkedRoom(this.client, SNP_ROOM_STATE, key) ?? (await this.create(key, name, topic));
    this.db.prepare("INSERT INTO snp_rooms (key, room_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING").run(key, roomId, this.clock.now());
    return roomId;
  }

  private async create(key: string, name: string, topic: string | undefined): Promise<string> {
    const { room_id: roomId } = await retryRateLimited(() =>
      this.client.createRoom({
        name,
        ...(topic ? { topic } : {}),
        preset: Preset.PrivateChat,
        visibility: Visibility.Private,
        // Members may join the room's video call (a téléconsultation accepted in a case room).
        power_level_content_override: { events: { [CALL_MEMBER_STATE]: 0 } },
        initial_state: [
          ENCRYPTED_ROOM_STATE,
          { type: EventType.RoomGuestAccess, state_key: "", content: { guest_access: "forbidden" } },
          { type: EventType.RoomHistoryVisibility, state_key: "", content: { history_visibility: "invited" } },
          { type: SNP_ROOM_STATE, state_key: "", content: { key } },
        ],
      }),
    );
    return roomId;
  }
}
