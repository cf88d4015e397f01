import { describe, expect, it } from "vitest";
import { pacedSyncFetch } from "./sync-pace.ts";

/** A clock the test moves; `sleep` moves it too and records the wait. */
function fakeTime() {
  const time = { now: 1_000, waits: [] as number[] };
  return {
    time,
    clock: { now: () => time.now },
    sleep: async (ms: number) => {
      time.waits.push(ms);
      time.now += ms;
    },
  };
}

describe("pacedSyncFetch", () => {
  const sync = "https://matrix.cpts.test/_matrix/client/v3/sync?timeout=30000&since=s1";

  it("starts a /sync at most once per interval, and the first at once", async () => {
    const { time, clock, sleep } = fakeTime();
    const started: number[] = [];
    const paced = pacedSyncFetch(500, async () => (started.push(time.now), new Response("{}")), clock, sleep);
    await paced(new URL(sync));
    time.now += 120; // the sync answered 120 ms later, with one event
    await paced(new URL(sync));
    time.now += 2_000; // a long poll with nothing new
    await paced(sync);
    expect(started).toEqual([1_000, 1_500, 3_500]);
    expect(time.waits).toEqual([380]);
  });

  it("lets every other request go at once", async () => {
    const { time, clock, sleep } = fakeTime();
    const paced = pacedSyncFetch(500, async () => new Response("{}"), clock, sleep);
    await paced(sync);
    await paced("https://matrix.cpts.test/_matrix/client/v3/rooms/!a:cpts.test/send/m.room.message/t1");
    await paced(new Request("https://matrix.cpts.test/_matrix/client/v3/keys/query", { method: "POST" }));
    await paced("https://matrix.cpts.test/_matrix/client/unstable/org.matrix.msc3575/sync");
    expect(time.waits).toEqual([]);
    expect(time.now).toBe(1_000);
  });
});
