import { MatrixScheduler, type MatrixEvent } from "matrix-js-sdk";

/**
 * The SDK send queue an event waits in: one per room and thread (the room's main timeline
 * being one), instead of the SDK's default single queue for every message of the client.
 * Messages of one timeline or one thread still leave one after the other, in the order they
 * were encrypted (the order readers see); others no longer wait for a round trip each: a
 * mail's files go out in its thread while the next mail's message goes to the room, a
 * notice to one person while another's is on its way. Events the SDK sends at once (state,
 * receipts) still go at once.
 */
export function sendQueueOf(event: MatrixEvent): string | null {
  if (MatrixScheduler.QUEUE_MESSAGES(event) === null) return null;
  return `message ${event.getRoomId() ?? ""} ${event.threadRootId ?? "main"}`;
}

/** The SDK's scheduler (its retries of rate-limited sends unchanged) with a queue per room and thread. */
export function sendScheduler(): MatrixScheduler {
  return new MatrixScheduler(MatrixScheduler.RETRY_BACKOFF_RATELIMIT, sendQueueOf);
}
