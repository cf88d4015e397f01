import { EventTimeline, type MatrixClient, type Room } from "matrix-js-sdk";

const PAGE_SIZE = 50;

/**
 * Pages a room's live timeline back until its oldest event is older than `notOlderThan`,
 * the history has no more pages, or `maxEvents` were fetched. The paged events reach the
 * bot through the usual timeline and decryption signals.
 */
export async function backfillGap(client: MatrixClient, room: Room, notOlderThan: number, maxEvents: number): Promise<number> {
  let fetched = 0;
  while (fetched < maxEvents) {
    const timeline = room.getLiveTimeline();
    const oldest = timeline.getEvents()[0];
    if (oldest && oldest.getTs() < notOlderThan) break;
    if (!timeline.getPaginationToken(EventTimeline.BACKWARDS)) break;
    const before = timeline.getEvents().length;
    await client.scrollback(room, PAGE_SIZE);
    const added = room.getLiveTimeline().getEvents().length - before;
    if (added <= 0) break;
    fetched += added;
  }
  return fetched;
}
