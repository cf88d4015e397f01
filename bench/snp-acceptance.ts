// Acceptance under load: many SNP requests open at once, then accepted all together by ✅
// reactions on the candidates' notifications. Per request: the reaction is on the server →
// the requester (the regulator, in the regulation room) has decrypted "acceptée par". The
// requests are opened through the chat, as a regulator would, and that phase is timed too.
// Prints JSON, with the aim next to the figure and the load average of the machine.
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { MatrixEventEvent, RoomEvent, type MatrixEvent } from "matrix-js-sdk";
import type { ElementClient } from "../test/helpers/element-client.ts";
import { benchSynapse, percentile, summary } from "./lib.ts";
import { body, createSnpBenchWorld, isEdit, positiveIntegerSetting, round, type SnpBenchWorld } from "./snp-lib.ts";

const REQUESTS = positiveIntegerSetting("BENCH_SNP_REQUESTS", 100);
const CANDIDATES = positiveIntegerSetting("BENCH_SNP_ACCEPT_CANDIDATES", 10);
const CODE = /SNP-[A-Z0-9]{4}/;
const MARKER = /\[demande (-?\d+)\]/;
/** Generous bounds: a bot that keeps up is far below them; one that does not fails with what is missing. */
const OPENING_TIMEOUT_MS = 120_000 + REQUESTS * CANDIDATES * 1_000;
const ACCEPTANCE_TIMEOUT_MS = 60_000 + REQUESTS * (CANDIDATES * 500 + 5_000);
/** Issue 19: the requester learns fast who took the request, even in a burst (was p95 116 s with one serial queue). */
const AIM_P95_MS = 10_000;

/**
 * Calls `keyOf` on every decrypted event this client sees from now on and records the first
 * event and moment for each key; resolves once `expected` keys are in. At the timeout it
 * fails, or with `partial` resolves with what came (a slow bot still gets its figures).
 */
function collect(client: ElementClient, keyOf: (event: MatrixEvent) => string | undefined, expected: number, timeoutMs: number, what: string, partial = false) {
  const found = new Map<string, { at: number; event: MatrixEvent }>();
  let onEvent = (_event: MatrixEvent): void => {};
  const complete = new Promise<Map<string, { at: number; event: MatrixEvent }>>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      if (partial) resolve(found);
      else reject(new Error(`${client.userId}: ${found.size}/${expected} ${what} after ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = (): void => {
      clearTimeout(timer);
      client.client.off(RoomEvent.Timeline, onEvent);
      client.client.off(MatrixEventEvent.Decrypted, onEvent);
    };
    onEvent = (event) => {
      if (event.isBeingDecrypted() || event.shouldAttemptDecryption() || event.isDecryptionFailure()) return;
      const key = keyOf(event);
      if (key === undefined || found.has(key)) return;
      found.set(key, { at: performance.now(), event });
      if (found.size < expected) return;
      stop();
      resolve(found);
    };
    client.client.on(RoomEvent.Timeline, onEvent);
    client.client.on(MatrixEventEvent.Decrypted, onEvent);
  });
  complete.catch(() => {}); // the caller awaits it, maybe after it failed
  return complete;
}

const synapse = await benchSynapse();
let world: SnpBenchWorld | undefined;
try {
  const bench = await createSnpBenchWorld(synapse, CANDIDATES);
  world = bench;
  const botId = bench.setup.userId;
  const { candidates, regulator, regulationRoom } = bench;

  const markerOf = (event: MatrixEvent): string | undefined =>
    event.getSender() === botId && !isEdit(event) && body(event).startsWith("🩺") ? MARKER.exec(body(event))?.[1] : undefined;
  // A first request, left open, has the bot open its direct chats (the dispatch benchmark times that).
  const acknowledgement = (e: MatrixEvent): string | undefined =>
    e.getSender() === botId && e.getRoomId() === regulationRoom && body(e).includes("professionnel(s) sollicité(s)") ? CODE.exec(body(e))?.[0] : undefined;
  const warmedUp = [
    ...candidates.map((c) => collect(c, (e) => (markerOf(e) === "-1" ? "-1" : undefined), 1, OPENING_TIMEOUT_MS, "warm-up notification")),
    collect(regulator, acknowledgement, 1, OPENING_TIMEOUT_MS, "warm-up acknowledgement"),
  ];
  await regulator.sendText(regulationRoom, `!snp IDE Douai 6h "pansement [demande -1]" 70+ sans-MT`);
  await bench.whileBotRuns(Promise.all(warmedUp));
  await new Promise((r) => setTimeout(r, 1_000));

  // Opening: every command typed at once in the regulation room; done when every candidate holds every notification.
  const notified = candidates.map((c) => collect(c, markerOf, REQUESTS, OPENING_TIMEOUT_MS, "notifications"));
  const acknowledged = collect(regulator, acknowledgement, REQUESTS, OPENING_TIMEOUT_MS, "request acknowledgements");
  const openingStarted = performance.now();
  for (let i = 0; i < REQUESTS; i++) await regulator.sendText(regulationRoom, `!snp IDE Douai 6h "pansement [demande ${i}]" 70+ sans-MT`);
  const commandsSentMs = performance.now() - openingStarted;
  const notifications = await bench.whileBotRuns(Promise.all(notified));
  const openingMs = performance.now() - openingStarted;
  for (const ack of (await bench.whileBotRuns(acknowledged)).values()) {
    if (!body(ack.event).includes(`${CANDIDATES} professionnel(s) sollicité(s)`)) throw new Error(`not every candidate was asked: ${body(ack.event)}`);
  }
  await new Promise((r) => setTimeout(r, 2_000));

  // Acceptance: request i is accepted by candidate i mod CANDIDATES, all reactions sent at once.
  const codes = Array.from({ length: REQUESTS }, (_, i) => CODE.exec(body(notifications[i % CANDIDATES]!.get(String(i))!.event))![0]);
  const acceptorName = (i: number): string => `Infirmière ${(i % CANDIDATES) + 1} (`;
  const accepted = collect(
    regulator,
    (e) => (e.getSender() === botId && e.getRoomId() === regulationRoom && body(e).includes("acceptée par") ? CODE.exec(body(e))?.[0] : undefined),
    REQUESTS,
    ACCEPTANCE_TIMEOUT_MS,
    "'acceptée par' notices",
    true,
  );
  const reactions = await Promise.all(
    codes.map(async (_code, i) => {
      const notification = notifications[i % CANDIDATES]!.get(String(i))!.event;
      const tappedAt = performance.now();
      await candidates[i % CANDIDATES]!.sendEvent(notification.getRoomId()!, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: notification.getId(), key: "✅" } });
      return { tappedAt, sentAt: performance.now() };
    }),
  );
  const notices = await bench.whileBotRuns(accepted);
  const wrong = codes.filter((code, i) => notices.has(code) && !body(notices.get(code)!.event).includes(`par ${acceptorName(i)}`));
  if (wrong.length > 0) throw new Error(`${wrong.length} request(s) announced with another acceptor, e.g. ${body(notices.get(wrong[0]!)!.event)}`);
  // A notice still missing at the timeout counts as arriving then: the figures become lower bounds.
  const missing = codes.filter((code) => !notices.has(code)).length;
  const timedOutAt = performance.now();
  const arrival = (code: string): number => notices.get(code)?.at ?? timedOutAt;

  const fromSent = codes.map((code, i) => arrival(code) - reactions[i]!.sentAt);
  const fromTap = codes.map((code, i) => arrival(code) - reactions[i]!.tappedAt);
  // The first answered shows one acceptance alone; the spread up to the last shows the queue behind it.
  const withMax = (samples: number[]) => ({ ...summary(samples), min: percentile(samples, 0), max: percentile(samples, 100) });
  const reached = withMax(fromSent);
  console.log(
    JSON.stringify(
      {
        benchmark: `SNP: ${REQUESTS} requests open at once, accepted concurrently (encrypted, real Synapse)`,
        requests: REQUESTS,
        candidatesPerRequest: CANDIDATES,
        opening: {
          commandsSentMs: round(commandsSentMs),
          toAllNotifiedMs: round(openingMs),
          notifications: REQUESTS * CANDIDATES,
          notificationsPerSecond: round((REQUESTS * CANDIDATES) / (openingMs / 1000)),
        },
        acceptance: {
          aim: `reaction → requester decrypts "acceptée par": p95 < ${AIM_P95_MS / 1000} s`,
          reached: `p50 ${round(reached.p50 / 1000)} s, p95 ${round(reached.p95 / 1000)} s, max ${round(reached.max / 1000)} s: ${reached.p95 < AIM_P95_MS && missing === 0 ? "aim met" : "aim missed"}`,
          ...(missing > 0 ? { missingAtTimeout: `${missing}/${REQUESTS} notices not there after ${ACCEPTANCE_TIMEOUT_MS / 1000} s: figures are lower bounds` } : {}),
          reactionSentToRequesterNoticeMs: reached,
          tapToRequesterNoticeMs: withMax(fromTap),
          firstTapToLastNoticeMs: round(Math.max(...codes.map(arrival)) - Math.min(...reactions.map((r) => r.tappedAt))),
        },
        loadAverage: loadavg().map((l) => round(l)),
      },
      null,
      2,
    ),
  );
} finally {
  await world?.stop();
  await synapse.cleanup();
}
process.exit(0);
