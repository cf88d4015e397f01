// MSSanté bridge: (1) a backlog of mails, each with a 200 KB PDF, already in the mailbox
// when the bridge starts: time until all are in Matrix (every event accepted and the mail
// marked processed), in mails/s; (2) one mail at a time on an idle bridge: latency from its
// delivery (the bridge hears it by IMAP IDLE) to the room, as a member's client sees it.
// Real Dovecot, real Synapse. Prints JSON, with each figure's aim and the machine's load average,
// and the CPU each process spent per mail of the backlog: what bounds the rate on this machine
// (one Synapse process cannot use more than one core; all of them share the machine's cores).
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { MatrixEvent } from "matrix-js-sdk";
import { openDatabase } from "../bots/database.ts";
import { spawnBot, startBotProcess, waitReady } from "../test/helpers/bot-process.ts";
import { createElementClient } from "../test/helpers/element-client.ts";
import { startMailWorld } from "../test/helpers/mail-bridge.ts";
import { fixturePdf, replyWithPdf } from "../test/helpers/mail-fixtures.ts";
import { until } from "../test/helpers/until.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, loadAverage, summary } from "./lib.ts";
import { ProcessSampler } from "./cpts-day/process-sampler.ts";

const MAILS = Number(process.env["BENCH_MAILS"] ?? 1000);
const LATENCY_ROUNDS = Number(process.env["BENCH_LATENCY_ROUNDS"] ?? 30);
const PDF_BYTES = 200 * 1024;
const AIM_MAILS_PER_SECOND = 20;

const synapse = await benchSynapse();
const coordinatorUser = await createTestUser("coordination", {}, synapse);
const world = await startMailWorld({ coordinators: [coordinatorUser.userId], synapse, extraOptions: { resyncSeconds: 60 } });
try {
  let bot = await startBotProcess(world.setup);
  const coordinator = await createElementClient(coordinatorUser, synapse.baseUrl);
  const dbFile = join(world.setup.dataDir, "bots.db");
  const readDb = <T>(sql: string): T => {
    const db = openDatabase(dbFile);
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  };
  await until("triage room", 60_000, () => readDb<{ room_id: string } | undefined>("SELECT room_id FROM mssante_rooms WHERE key = 'triage'") !== undefined);
  const triageRoom = readDb<{ room_id: string }>("SELECT room_id FROM mssante_rooms WHERE key = 'triage'").room_id;
  await until("coordinator joined", 60_000, () => coordinator.joinRoom(triageRoom).then(() => true, () => false));

  // (1) Backlog.
  const loadAtStart = loadAverage();
  await bot.stop();
  const delivering = performance.now();
  for (let i = 0; i < MAILS; i++) {
    await world.deliver(replyWithPdf({ messageId: `backlog-${i}@infirmier.mssante.test`, inReplyTo: "inconnu@x.test", pdf: fixturePdf(`Fiche ${i}`, PDF_BYTES) }));
  }
  const deliveredInS = (performance.now() - delivering) / 1000;
  const sampler = new ProcessSampler();
  sampler.watch({ name: "synapse", pid: synapse.pid, withDescendants: false });
  // This process holds the coordinator's Element-like client, which decrypts every event (on a user's device in real life).
  sampler.watch({ name: "readingClient", pid: process.pid, withDescendants: false });
  const started = performance.now();
  bot = spawnBot(world.setup);
  sampler.watch({ name: "bridge", pid: bot.process.pid!, withDescendants: false });
  sampler.start(250);
  await waitReady(world.setup, bot, 120_000);
  const readyS = (performance.now() - started) / 1000;
  await until("backlog carried", 3_600_000, () => readDb<{ n: number }>("SELECT COUNT(*) AS n FROM mssante_inbound WHERE status = 'done'").n >= MAILS);
  const backlogS = (performance.now() - started) / 1000;
  sampler.stop();
  const cpu = sampler.report(started, performance.now());
  const msPerMail = (name: string): number => Math.round(((cpu.processes[name]?.cpuSeconds ?? 0) * 1000) / MAILS);
  const perMail = { synapse: msPerMail("synapse"), bridge: msPerMail("bridge"), readingClient: msPerMail("readingClient") };
  const allMs = perMail.synapse + perMail.bridge + perMail.readingClient;

  // (2) Latency, one mail at a time.
  const samples: number[] = [];
  const waitFor = (messageId: string): Promise<MatrixEvent> =>
    coordinator.waitForMessage(triageRoom, (e) => (e.getContent()["org.cpts.mssante.mail"] as { messageId?: string } | undefined)?.messageId === messageId, 60_000);
  for (let i = 0; i < LATENCY_ROUNDS + 3; i++) {
    const messageId = `latence-${i}@infirmier.mssante.test`;
    const arrival = waitFor(messageId);
    const t0 = performance.now();
    await world.deliver(replyWithPdf({ messageId, inReplyTo: "inconnu@x.test", pdf: fixturePdf(`Latence ${i}`, PDF_BYTES) }));
    await arrival;
    if (i >= 3) samples.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 300));
  }

  console.log(
    JSON.stringify(
      {
        benchmark: "MSSanté bridge",
        backlog: {
          mails: MAILS,
          pdfBytes: PDF_BYTES,
          eventsPerMail: 3,
          deliveredToDovecotInS: Math.round(deliveredInS * 10) / 10,
          bridgeReadyInS: Math.round(readyS * 10) / 10,
          allInMatrixAndProcessedInS: Math.round(backlogS * 10) / 10,
          mailsPerSecond: Math.round((MAILS / backlogS) * 10) / 10,
          aim: `mailsPerSecond >= ${AIM_MAILS_PER_SECOND}`,
          cpuMsPerMail: perMail,
          machineBusyPercent: cpu.machineBusyPercent,
          ceilings: {
            oneSynapseProcessAtOneFullCoreMailsPerSecond: Math.round((10_000 / perMail.synapse)) / 10,
            allCoresOfThisMachineMailsPerSecond: Math.round((cpu.cores * 10_000) / allMs) / 10,
            cores: cpu.cores,
          },
        },
        latencyArrivalToRoomMs: { ...summary(samples), reference: "p95 637 ms before the concurrent catch-up (issue 19), idle machine" },
        loadAverage1m5m15m: { atStart: loadAtStart, atEnd: loadAverage() },
      },
      null,
      2,
    ),
  );
  await coordinator.stop();
  await bot.stop();
} finally {
  await world.dispose();
  await synapse.cleanup();
}
