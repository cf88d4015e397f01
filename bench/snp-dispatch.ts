// SNP dispatch to many candidates: a regulator's request in the regulation room → every
// candidate holds the decrypted notification in their direct chat with the bot. Next to it,
// in the same run and on the same server, the raw cost of the same deliveries: one plain
// encrypted client (its own process, like the bot) sending one message into an encrypted DM
// with each of the same candidate devices, one after another (as the bot does) and all at
// once (matrix-js-sdk queues a client's messages, so that only overlaps the encryption of one
// with the sending of another). Reported apart:
// - the bot opening its direct chats ahead of requests: from its process start (everyone
//   signed in, the nurses in the SNP pool) to every nurse holding its welcome there;
// - run 1, the first request after that (aim < 10 s);
// - a cold first dispatch: physiotherapists put in the pool just before a request for them,
//   so that the dispatch itself opens their 50 chats (the homeserver creating 50 encrypted
//   rooms: compare the plain client creating its 50 DMs).
// Prints JSON: each figure next to its aim, with the load average at the start and the end
// (the ratios compare runs interleaved in one process, so load hits both sides alike).
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { MatrixEvent } from "matrix-js-sdk";
import { isReplyTo } from "../test/helpers/replies.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, loadAverage, summary } from "./lib.ts";
import type { ElementClient } from "../test/helpers/element-client.ts";
import { body, createSnpBenchWorld, isEdit, type SnpBenchWorld, positiveIntegerSetting, ratio, round, whenDecrypted } from "./snp-lib.ts";
import type { PlainSenderAnswer, PlainSenderRequest } from "./snp-plain-sender.ts";

const RUNS = positiveIntegerSetting("BENCH_SNP_RUNS", 20);
const CANDIDATES = positiveIntegerSetting("BENCH_SNP_CANDIDATES", 50);
const COLD_CANDIDATES = positiveIntegerSetting("BENCH_SNP_COLD_CANDIDATES", CANDIDATES);
const DELIVERY_TIMEOUT_MS = 180_000;
const SETTLE_MS = 300;
/** Aims of issue 19: the bot within 1.3× of the plain client's sends, the first dispatch (opening the DMs) under 10 s. */
const AIM_RATIO = 1.3;
const AIM_FIRST_DISPATCH_MS = 10_000;
/** The plain messages weigh what a notification weighs (about 500 characters of text). */
const NOTIFICATION_SIZED_TEXT = "x".repeat(500);

interface Delivery {
  /** Send (or command) → the last candidate holds the decrypted message. */
  readonly allMs: number;
  readonly firstMs: number;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts timing, runs `send`, resolves when every one of `candidates` decrypted a message matching `predicate`. */
async function deliveredToAll(
  world: SnpBenchWorld,
  candidates: readonly ElementClient[],
  predicate: (event: MatrixEvent) => boolean,
  send: () => Promise<unknown>,
): Promise<Delivery & { events: MatrixEvent[] }> {
  const watchers = candidates.map((c) => whenDecrypted(c, predicate, DELIVERY_TIMEOUT_MS));
  try {
    const started = performance.now();
    await send();
    const seen = await world.whileBotRuns(Promise.all(watchers.map((w) => w.seen)));
    const times = seen.map((s) => s.at - started);
    return { allMs: Math.max(...times), firstMs: Math.min(...times), events: seen.map((s) => s.event) };
  } finally {
    for (const w of watchers) w.cancel();
  }
}

function plainSender(): { ask(request: PlainSenderRequest): Promise<PlainSenderAnswer>; stop(): Promise<void>; child: ChildProcess } {
  const child = fork(fileURLToPath(new URL("snp-plain-sender.ts", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    stop: () => {
      if (child.connected) child.send({ type: "stop" } satisfies PlainSenderRequest);
      else if (child.exitCode === null) child.kill();
      return exited;
    },
    ask: (request) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null): void => reject(new Error(`the plain sender exited (code ${code})`));
        child.once("exit", onExit);
        child.once("message", (answer: PlainSenderAnswer) => {
          child.off("exit", onExit);
          if (answer.type === "failed") reject(new Error(`plain sender: ${answer.error}`));
          else resolve(answer);
        });
        child.send(request);
      }),
  };
}

const loadAtStart = loadAverage();
const synapse = await benchSynapse();
const plain = plainSender();
let world: SnpBenchWorld | undefined;
try {
  // No periodic sweep during the runs (only the one at start): the cold candidates must stay
  // without a chat until their request, and the steady runs measure dispatches alone.
  const bench = await createSnpBenchWorld(synapse, CANDIDATES, { coldCandidates: COLD_CANDIDATES, botOptions: { directChatSweep: "24h" } });
  world = bench;
  const botId = bench.setup.userId;
  const { candidates, coldCandidates, regulator, regulationRoom } = bench;

  const senderUser = await createTestUser("envoi", { displayName: "Client ordinaire" }, synapse);
  bench.markVerified(senderUser.userId);
  const openedAt = performance.now();
  const opened = await plain.ask({ type: "open", user: senderUser, baseUrl: synapse.baseUrl, peers: candidates.map((c) => c.userId) });
  if (opened.type !== "opened") throw new Error(`plain sender answered ${opened.type}`);
  await Promise.all(candidates.map((c, i) => c.joinRoom(opened.rooms[i]!)));
  const plainDmsMs = performance.now() - openedAt;

  const botRun = async (run: number | string, asked = candidates, profession = "IDE"): Promise<Delivery & { ackMs: number }> => {
    const marker = `[essai ${run}]`;
    let commandSentAt = 0;
    let acknowledged: Promise<{ event: MatrixEvent; ms: number }> | undefined;
    const delivery = await deliveredToAll(
      bench,
      asked,
      (e) => e.getSender() === botId && !isEdit(e) && body(e).startsWith("🩺") && body(e).includes(marker),
      async () => {
        commandSentAt = performance.now();
        const commandId = await regulator.sendText(regulationRoom, `!snp ${profession} Douai 6h "soins ${marker}" 70+ sans-MT`);
        acknowledged = regulator
          .waitForMessage(regulationRoom, (e) => e.getSender() === botId && isReplyTo(commandId)(e), DELIVERY_TIMEOUT_MS)
          .then((event) => ({ event, ms: performance.now() - commandSentAt }));
        acknowledged.catch(() => {}); // awaited below
      },
    );
    const ack = await bench.whileBotRuns(acknowledged!);
    if (!body(ack.event).includes(`${asked.length} professionnel(s) sollicité(s)`)) throw new Error(`run ${run}: not every candidate was asked: ${body(ack.event)}`);
    const clear = delivery.events.filter((e) => !e.isEncrypted());
    if (clear.length > 0) throw new Error(`run ${run}: ${clear.length} notification(s) sent in clear text`);
    return { allMs: delivery.allMs, firstMs: delivery.firstMs, ackMs: ack.ms };
  };

  const plainRun = async (label: string, concurrent: boolean): Promise<Delivery> =>
    deliveredToAll(
      bench,
      candidates,
      (e) => e.getSender() === senderUser.userId && body(e).startsWith(label),
      () => plain.ask({ type: "send", body: `${label}\n${NOTIFICATION_SIZED_TEXT}`, concurrent }),
    );

  // Run 1: the first request, the bot's direct chats opened ahead; the plain client's first
  // messages set up its Olm and Megolm sessions.
  const firstBot = await botRun(1);
  await pause(SETTLE_MS);
  const coldPlain = await plainRun("première série", false);
  // A request for people who joined the pool a moment ago: the dispatch opens their chats.
  await pause(SETTLE_MS);
  bench.coldToPool();
  const coldBot = await botRun("à froid", coldCandidates, "kine");

  const bot: (Delivery & { ackMs: number })[] = [];
  const sequential: Delivery[] = [];
  const concurrent: Delivery[] = [];
  for (let run = 2; run <= RUNS; run++) {
    await pause(SETTLE_MS);
    bot.push(await botRun(run));
    await pause(SETTLE_MS);
    sequential.push(await plainRun(`série ${run} une à une`, false));
    await pause(SETTLE_MS);
    concurrent.push(await plainRun(`série ${run} en parallèle`, true));
  }

  const botAll = summary(bot.map((r) => r.allMs));
  const seqAll = summary(sequential.map((r) => r.allMs));
  const parAll = summary(concurrent.map((r) => r.allMs));
  const ratioP50 = ratio(botAll.p50, seqAll.p50);
  const ratioP95 = ratio(botAll.p95, seqAll.p95);
  console.log(
    JSON.stringify(
      {
        benchmark: `SNP dispatch to ${CANDIDATES} candidates (encrypted DMs, real Synapse)`,
        candidates: CANDIDATES,
        runs: RUNS,
        loadAverage: { start: loadAtStart, end: loadAverage() },
        againstAims: {
          ratioP50: { value: ratioP50, aim: `<= ${AIM_RATIO}`, met: ratioP50 <= AIM_RATIO },
          ratioP95: { value: ratioP95, aim: `<= ${AIM_RATIO}`, met: ratioP95 <= AIM_RATIO },
          firstDispatchMs: { value: round(firstBot.allMs), aim: `< ${AIM_FIRST_DISPATCH_MS}`, met: firstBot.allMs < AIM_FIRST_DISPATCH_MS },
        },
        directChatsOpenedAhead: {
          what: `the bot opening its direct chat with each of the ${CANDIDATES} nurses of the SNP pool, with a welcome, in the background at start`,
          botStartToReadyMs: round(bench.startup.botReadyMs),
          botStartToFirstWelcomedMs: round(bench.startup.firstWelcomedMs),
          botStartToAllWelcomedMs: round(bench.startup.allWelcomedMs),
        },
        firstRun: {
          what: "the first request after that",
          botRequestToAllDeliveredMs: round(firstBot.allMs),
          botRequestToFirstDeliveredMs: round(firstBot.firstMs),
          botRequestToAckSeenMs: round(firstBot.ackMs),
          plainFirstSendsToAllDeliveredMs: round(coldPlain.allMs),
        },
        coldRun: {
          what: `a request for ${COLD_CANDIDATES} members put in the pool just before it (no chat with the bot yet): the dispatch opens the chats; no aim, the homeserver creating that many encrypted rooms is the floor`,
          botRequestToAllDeliveredMs: round(coldBot.allMs),
          botRequestToFirstDeliveredMs: round(coldBot.firstMs),
          botRequestToAckSeenMs: round(coldBot.ackMs),
          plainDmCreationMs: round(plainDmsMs),
        },
        steadyRuns: {
          botRequestToAllDeliveredMs: botAll,
          botRequestToFirstDeliveredMs: summary(bot.map((r) => r.firstMs)),
          botRequestToAckSeenMs: summary(bot.map((r) => r.ackMs)),
          plainSequentialToAllDeliveredMs: seqAll,
          plainConcurrentToAllDeliveredMs: parAll,
        },
        ratioToConcurrentP50: ratio(botAll.p50, parAll.p50),
        ratioToConcurrentP95: ratio(botAll.p95, parAll.p95),
        ratiosAre: "bot ÷ the plain client sending one message after another (ratioP50, ratioP95), or all at once (ratioToConcurrent…)",
      },
      null,
      2,
    ),
  );
} finally {
  await plain.stop();
  await world?.stop();
  await synapse.cleanup();
}
process.exit(0);
