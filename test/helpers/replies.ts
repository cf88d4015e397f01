import type { MatrixEvent } from "matrix-js-sdk";

/** Whether an event is a reply (m.in_reply_to) to the given command event. */
export const isReplyTo =
  (commandId: string) =>
  (event: MatrixEvent): boolean =>
    (event.getContent()["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined)?.["m.in_reply_to"]?.event_id === commandId;
