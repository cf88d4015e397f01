import { ReceiptType, RoomEvent, RoomMemberEvent, RoomStateEvent, type MatrixClient, type MatrixEvent, type Room, type RoomMember } from "matrix-js-sdk";
import { CALL_MEMBER_STATE } from "./care-rooms.ts";
import type { Logger } from "../../core/logger.ts";

/** A read receipt: this person read this room up to a message sent at `ts` (or later). */
export interface ReadReceipt {
  readonly roomId: string;
  readonly userId: string;
  readonly ts: number;
}

/** Calls `onRead` for every public read receipt the bot's sync brings; one bad receipt is logged and skipped. */
export function watchReadReceipts(client: MatrixClient, logger: Logger, onRead: (receipt: ReadReceipt) => Promise<void>): () => void {
  const listener = (event: MatrixEvent, room: Room): void => {
    const content = event.getContent() as Record<string, Record<string, Record<string, { ts?: number }>>>;
    for (const byType of Object.values(content)) {
      for (const [userId, receipt] of Object.entries(byType[ReceiptType.Read] ?? {})) {
        onRead({ roomId: room.roomId, userId, ts: receipt.ts ?? 0 }).catch((err: unknown) => logger.error({ roomId: room.roomId, err: (err as Error).message }, "read receipt handling failed"));
      }
    }
  };
  client.on(RoomEvent.Receipt, listener);
  return () => client.off(RoomEvent.Receipt, listener);
}

/** The latest public read receipt of this person in this room, as the bot's sync knows it. */
export function lastReadReceipt(client: MatrixClient, roomId: string, userId: string): ReadReceipt | undefined {
  const receipt = client.getRoom(roomId)?.getReadReceiptForUserId(userId, true, ReceiptType.Read);
  return receipt ? { roomId, userId, ts: receipt.data.ts } : undefined;
}

/** Someone's membership of a room changed (invited, joined, left, removed), by whom. */
export interface MembershipChange {
  readonly roomId: string;
  readonly userId: string;
  readonly membership: string;
  readonly by: string;
  /** The membership event, and when it was sent. */
  readonly eventId: string;
  readonly at: number;
}

export function watchMemberships(client: MatrixClient, logger: Logger, onChange: (change: MembershipChange) => void): () => void {
  const listener = (event: MatrixEvent, member: RoomMember): void => {
    try {
      onChange({ roomId: member.roomId, userId: member.userId, membership: member.membership ?? "", by: event.getSender() ?? "", eventId: event.getId() ?? "", at: event.getTs() });
    } catch (err) {
      logger.error({ roomId: member.roomId, err: (err as Error).message }, "membership change handling failed");
    }
  };
  client.on(RoomMemberEvent.Membership, listener);
  return () => client.off(RoomMemberEvent.Membership, listener);
}

/** Calls `onCallMember` for every call membership state event (Element Call joining or leaving) the bot's sync brings. */
export function watchCallMemberships(client: MatrixClient, logger: Logger, onCallMember: (event: MatrixEvent) => void): () => void {
  const listener = (event: MatrixEvent): void => {
    if (event.getType() !== CALL_MEMBER_STATE) return;
    try {
      onCallMember(event);
    } catch (err) {
      logger.error({ roomId: event.getRoomId(), err: (err as Error).message }, "call membership handling failed");
    }
  };
  client.on(RoomStateEvent.Events, listener);
  return () => client.off(RoomStateEvent.Events, listener);
}
