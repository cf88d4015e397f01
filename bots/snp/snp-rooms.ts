import type { MatrixClient } from "matrix-js-sdk";
import type { Clock } from "../core/clock.ts";
import { CALL_MEMBER_STATE } from "../core/matrix/call-member.ts";
import { ManagedRooms, type ManagedRoom } from "../core/matrix/managed-rooms.ts";
import type { RoomId } from "../core/matrix-ids.ts";
import type { Db } from "../core/store/database.ts";
import { RoomKeys } from "../core/store/room-keys.ts";

/** Marks the rooms the SNP bot creates (regulation room, case rooms) with their key: found again after a crash. */
export const SNP_ROOM_STATE = "org.cpts.snp_room";
const REGULATION_KEY = "regulation";

/**
 * The rooms of SNP dispatch: the regulation room (regulators) and one room per accepted
 * request (requester + acceptor). Encrypted, invitation-only, no guests, history visible from
 * the invitation; names carry a request code, never patient data.
 */
export class SnpRooms {
  private readonly rooms: ManagedRooms;

  constructor(client: MatrixClient, db: Db, clock: Clock) {
    this.rooms = new ManagedRooms(client, SNP_ROOM_STATE, new RoomKeys(db, "snp_rooms", clock));
  }

  regulationRoomId(): RoomId | undefined {
    return this.rooms.known(REGULATION_KEY);
  }

  async ensureRegulationRoom(name: string, topic: string, regulators: readonly string[]): Promise<RoomId> {
    const { roomId } = await this.rooms.ensure(REGULATION_KEY, () => snpRoom(name, topic));
    await this.rooms.inviteAll(roomId, regulators);
    return roomId;
  }

  /** The case room of a request, with its members invited; the same room after a crash or a retry. */
  async ensureCaseRoom(code: string, name: string, members: readonly string[]): Promise<RoomId> {
    const { roomId } = await this.rooms.ensure(`case:${code}`, () => snpRoom(name, undefined));
    await this.rooms.inviteAll(roomId, members);
    return roomId;
  }
}

function snpRoom(name: string, topic: string | undefined): ManagedRoom {
  // Members may join the room's video call (a téléconsultation accepted in a case room).
  return { name, topic, powerLevels: { events: { [CALL_MEMBER_STATE]: 0 } } };
}
