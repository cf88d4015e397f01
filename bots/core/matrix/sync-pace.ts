import type { Clock } from "../clock.ts";

const SYNC_PATH = /\/_matrix\/client\/[^/]+\/sync$/;

/**
 * A fetch for the SDK that starts a /sync at most once every `minIntervalMs` (other requests
 * go at once). A bot sending many events in a row otherwise syncs once per event it sent, and
 * each sync costs a fixed share of crypto work on both sides (the Rust crypto loads and saves
 * the Olm account at every sync; the homeserver computes a response each time): paced, each
 * sync brings several events. A sync whose previous one started long enough ago goes at once,
 * so a lone message is heard without delay.
 */
export function pacedSyncFetch(minIntervalMs: number, inner: typeof fetch = fetch, clock: Clock = { now: () => Date.now() }, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): typeof fetch {
  let lastSyncStart = Number.NEGATIVE_INFINITY;
  return async (input, init) => {
    if (isSync(input)) {
      const wait = lastSyncStart + minIntervalMs - clock.now();
      if (wait > 0) await sleep(wait);
      lastSyncStart = clock.now();
    }
    return inner(input, init);
  };
}

function isSync(input: Parameters<typeof fetch>[0]): boolean {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return SYNC_PATH.test(new URL(url).pathname);
}
