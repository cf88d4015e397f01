import { EventStatus, EventType, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { eventId as asEventId, type EventId } from "../matrix-ids.ts";

const SETTLE_WAIT_MS = 15_000;

/**
 * Sends a message under a transaction id of ours, so that a resend after a crash is
 * deduplicated by the homeserver. Within one process, a send that failed (homeserver
 * unreachable) stays in the SDK as a local echo under that id, and the SDK refuses the id
 * again ("known txnId"): that echo is resent instead.
 */
export async function sendWithTransactionId(client: MatrixClient, roomId: string, content: Record<string, unknown>, txnId: string): Promise<EventId> {
  const room = client.getRoom(roomId);
  const earlier = room?.getEventForTxnId(txnId);
  if (room && earlier) {
    if (earlier.status === EventStatus.NOT_SENT) return asEventId((await client.resendEvent(earlier, room)).event_id);
    const eventId = await settledEventId(earlier);
    if (eventId) return asEventId(eventId);
  }
  const sent = await client.sendEvent(roomId, EventType.RoomMessage, content as never, txnId);
  return asEventId(sent.event_id);
}

/** The server's id of a local echo once it settles (sent), or undefined if it has none yet. */
async function settledEventId(event: MatrixEvent): Promise<string | undefined> {
  const deadline = Date.now() + SETTLE_WAIT_MS;
  while (event.status !== null && event.status !== EventStatus.SENT && event.status !== EventStatus.NOT_SENT && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (event.status === EventStatus.NOT_SENT) throw new Error("an earlier attempt of this event is still unsent");
  const id = event.getId();
  return id && !id.startsWith("~") ? id : undefined;
}
