// SNP dispatch to many candidates: a regulator's request in the regulation room → every
// candidate holds the decrypted notification in their direct chat with the bot. Next to it,
// in the same run and on the same server, the raw cost of the same deliveries: one plain
// encrypted client (its own process, like the bot) sending one message into an encrypted DM
// with each of the same candidate devices, one after another (as the bot does) and all at
// once (matrix-js-sdk queues a client's messages, so that only overlaps the encryption of one
// with the sending of another). Run 1 is reported apart: the bot opens its direct chats then.
// Prints JSON: each figure next to its aim, with the load average at the start and the end
// (the ratios compare runs interleaved in one process, so load hits both sides alike).
import { fork, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { MatrixEvent } from "matrix-js-sdk";
import { isReplyTo } from "../test/helpers/replies.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, summary } from "./lib.ts";
import { body, createSnpBenchWorld, isEdit, type SnpBenchWorld, positiveIntegerSetting, ratio, round, whenDecrypted } from "./snp-lib.ts";
import type { PlainSenderAnswer, PlainSenderRequest } from "./snp-plain-sender.ts";

const RUNS = positiveIntegerSetting("BENCH_SNP_RUNS", 20);
const CANDIDATES = positiveIntegerSetting("BENCH_SNP_CANDIDATES", 50);
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

/** Starts timing, runs `send`, resolves when every candidate decrypted a message matching `predicate`. */
async function deliveredToAll(world: SnpBenchWorld, predicate: (event: MatrixEvent) => boolean, send: () => Promise<unknown>): Promise<Delivery & { events: MatrixEvent[] }> {
  const watchers = world.candidates.map((c) => whenDecrypted(c, predicate, DELIVERY_TIMEOUT_MS));
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

const loadAverage = (): string => loadavg().map((l) => l.toFixed(2)).join(" ");
const loadAtStart = loadAverage();
const synapse = await benchSynapse();
const plain = plainSender();
let world: SnpBenchWorld | undefined;
try {
  const bench = await createSnpBenchWorld(synapse, CANDIDATES);
  world = bench;
  const botId = bench.setup.userId;
  const { candidates, regulator, regulationRoom } = bench;

  const senderUser = await createTestUser("envoi", { displayName: "Client ordinaire" }, synapse);
  bench.markVerified(senderUser.userId);
  const openedAt = performance.now();
  const opened = await plain.ask({ type: "open", user: senderUser, baseUrl: synapse.baseUrl, peers: candidates.map((c) => c.userId) });
  if (opened.type !== "opened") throw new Error(`plain sender answered ${opened.type}`);
  await Promise.all(candidates.map((c, i) => c.joinRoom(opened.rooms[i]!)));
  const plainDmsMs = performance.now() - openedAt;

  const botRun = async (run: number): Promise<Delivery & { ackMs: number }> => {
    const marker = `[essai ${run}]`;
    let commandSentAt = 0;
    let acknowledged: Promise<{ event: MatrixEvent; ms: number }> | undefined;
    const delivery = await deliveredToAll(
      bench,
      (e) => e.getSender() === botId && !isEdit(e) && body(e).startsWith("🩺") && body(e).includes(marker),
      async () => {
        commandSentAt = performance.now();
        const commandId = await regulator.sendText(regulationRoom, `!snp IDE Douai 6h "pansement ${marker}" 70+ sans-MT`);
        acknowledged = regulator
          .waitForMessage(regulationRoom, (e) => e.getSender() === botId && isReplyTo(commandId)(e), DELIVERY_TIMEOUT_MS)
          .then((event) => ({ event, ms: performance.now() - commandSentAt }));
        acknowledged.catch(() => {}); // awaited below
      },
    );
    const ack = await bench.whileBotRuns(acknowledged!);
    if (!body(ack.event).includes(`${CANDIDATES} professionnel(s) sollicité(s)`)) throw new Error(`run ${run}: not every candidate was asked: ${body(ack.event)}`);
    const clear = delivery.events.filter((e) => !e.isEncrypted());
    if (clear.length > 0) throw new Error(`run ${run}: ${clear.length} notification(s) sent in clear text`);
    return { allMs: delivery.allMs, firstMs: delivery.firstMs, ackMs: ack.ms };
  };

  const plainRun = async (label: string, concurrent: boolean): Promise<Delivery> =>
    deliveredToAll(
      bench,
      (e) => e.getSender() === senderUser.userId && body(e).startsWith(label),
      () => plain.ask({ type: "send", body: `${label}\n${NOTIFICATION_SIZED_TEXT}`, concurrent }),
    );

  // Run 1: the bot creates its direct chats; the plain client's first messages set up its Olm and Megolm sessions.
  const coldBot = await botRun(1);
  await pause(SETTLE_MS);
  const coldPlain = await plainRun("première série", false);

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
          firstDispatchMs: { value: round(coldBot.allMs), aim: `< ${AIM_FIRST_DISPATCH_MS}`, met: coldBot.allMs < AIM_FIRST_DISPATCH_MS },
        },
        coldRun: {
          botRequestToAllDeliveredMs: round(coldBot.allMs),
          botRequestToFirstDeliveredMs: round(coldBot.firstMs),
          plainFirstSendsToAllDeliveredMs: round(coldPlain.allMs),
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
