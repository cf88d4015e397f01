// Load test of a CPTS day (issue 17): the busiest hour of one CPTS replayed, compressed, on
// this machine, against a real Synapse and the bots as real processes. Light members (raw
// /sync long-polls, Megolm-shaped messages) fill the general and profession rooms; full
// Element-like clients are the members the bots talk to: the SNP regulator and candidates,
// searchers of the directory, a care team opening case rooms. Measured under that load:
// command round trip (`!annuaire` → decrypted answer), SNP dispatch (request → every
// candidate holds the decrypted notification), case room opening, message delivery to light
// members, and the CPU and memory of Synapse, each bot and this process. Prints JSON.
//   BENCH_CPTS_ACCOUNTS   accounts of one run (unset: a run at 300 then one at 900, each its own process)
//   BENCH_CPTS_REPLAY_S   the peak hour replayed in this many seconds (default 120: 30× faster)
//   BENCH_CPTS_SETUP      "single" (one Synapse process on SQLite, default) or "workers" (PostgreSQL,
//                         Redis, main process, sync and client workers, federation sender)
//                         (unset with BENCH_CPTS_ACCOUNTS unset: both set-ups, each at 300 and 900)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { MatrixEvent } from "matrix-js-sdk";
import { openDatabase } from "../bots/database.ts";
import { VerifiedMembers } from "../bots/core/store/verified-members.ts";
import { registerPolicyDatabase } from "../test/helpers/policy-directory.ts";
import { isReplyTo } from "../test/helpers/replies.ts";
import { PEAK_HOUR_PER_100_MEMBERS, peakHourCounts, READ_RECEIPT_SHARE, peakHourSchedule, seededRandom, type Action, type ActionKind } from "./cpts-day/activity.ts";
import { BOT_READY_TIMEOUT_MS, createCareWorld, createDirectoryWorld } from "./cpts-day/bot-worlds.ts";
import { communityRooms, inPool, LightCrowd, registerLightMember, type LightMember } from "./cpts-day/light-members.ts";
import { ProcessSampler, type SamplerReport } from "./cpts-day/process-sampler.ts";
import { startHomeserver, setupName, type SetupName } from "./cpts-day/homeservers.ts";
import { summary } from "./lib.ts";
import { body, createSnpBenchWorld, isEdit, positiveIntegerSetting, whenDecrypted } from "./snp-lib.ts";

const SIZES = [300, 900];
const REPLAY_S = positiveIntegerSetting("BENCH_CPTS_REPLAY_S", 120);
/** Full clients the bots talk to: the SNP first wave (nurses of one commune), directory searchers, a care team. */
const SNP_CANDIDATES = positiveIntegerSetting("BENCH_CPTS_SNP_CANDIDATES", 10);
const SEARCHERS = 4;
const CARE_TEAM = 4;
/** Requests, logins, joins in flight at once while setting up. */
const SETUP_WIDTH = 8;
const DRAIN_TIMEOUT_MS = 180_000;

const uptime = (): string => execFileSync("uptime", { encoding: "utf8" }).trim();
const since = (t: number): number => Math.round((performance.now() - t) / 100) / 10;

if (process.env["BENCH_CPTS_ACCOUNTS"] === undefined) {
  // One process per run: each starts from a fresh Synapse and an empty heap.
  const runs: unknown[] = [];
  const setups: SetupName[] = process.env["BENCH_CPTS_SETUP"] === undefined ? ["single", "workers"] : [setupName(process.env["BENCH_CPTS_SETUP"])];
  for (const setup of setups) {
    for (const accounts of SIZES) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...process.env, BENCH_CPTS_ACCOUNTS: String(accounts), BENCH_CPTS_SETUP: setup },
        stdio: ["ignore", "pipe", "inherit"],
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      if (child.status !== 0) process.exit(child.status ?? 1);
      runs.push(JSON.parse(child.stdout));
    }
  }
  console.log(JSON.stringify({ benchmark: "CPTS day load test", runs }, null, 2));
  process.exit(0);
}

const ACCOUNTS = positiveIntegerSetting("BENCH_CPTS_ACCOUNTS", 300);
const SETUP = setupName(process.env["BENCH_CPTS_SETUP"]);
const log = (message: string): void => console.error(`[cpts-day ${SETUP} ${ACCOUNTS}] ${message}`);

interface Timed {
  readonly atMs: number;
  readonly ms: number;
}

/** p50 of the first and last third of the replay: the step that grows under load. */
function growth(samples: readonly Timed[], replayMs: number): { firstThirdP50: number; lastThirdP50: number } | undefined {
  const first = samples.filter((s) => s.atMs < replayMs / 3).map((s) => s.ms);
  const last = samples.filter((s) => s.atMs >= (2 * replayMs) / 3).map((s) => s.ms);
  if (first.length === 0 || last.length === 0) return undefined;
  return { firstThirdP50: summary(first).p50, lastThirdP50: summary(last).p50 };
}

/** The first bottleneck: a process holding about one core (Python and Node run their work on one thread), or the machine itself. */
function bottleneck(report: SamplerReport, steps: Record<string, { firstThirdP50: number; lastThirdP50: number } | undefined>): Record<string, unknown> {
  const byLoad = Object.entries(report.processes).sort((a, b) => b[1].cpuPercentMean - a[1].cpuPercentMean);
  const saturated = byLoad.filter(([, f]) => f.cpuPercentPeak5s >= 90).map(([name]) => name);
  const growing = Object.entries(steps)
    .filter((entry): entry is [string, { firstThirdP50: number; lastThirdP50: number }] => entry[1] !== undefined)
    .map(([step, g]) => ({ step, factor: Math.round((g.lastThirdP50 / g.firstThirdP50) * 100) / 100 }))
    .sort((a, b) => b.factor - a.factor);
  return {
    busiestProcess: byLoad[0]?.[0],
    saturatedProcesses: saturated,
    machineBound: report.machineBusyPercent >= 90,
    stepsByGrowth: growing,
  };
}

// A late rejection of a step already counted as failed (a timer of a helper) must not end the run.
process.on("unhandledRejection", (reason) => log(`late failure: ${reason instanceof Error ? reason.message.slice(0, 200) : String(reason)}`));

const random = seededRandom(17 * ACCOUNTS);
const started = performance.now();
const loadBefore = uptime();
const synapse = await startHomeserver(SETUP);
const sampler = new ProcessSampler();
for (const watched of synapse.watched) sampler.watch(watched);
sampler.watch({ name: "bench clients (this process)", pid: process.pid, withDescendants: false });
sampler.start();
const stops: (() => Promise<void>)[] = [];
try {
  // Accounts, verified for the policy module as the annuaire would have them.
  let t = performance.now();
  const owner = await registerLightMember(synapse, 0, random);
  const members: LightMember[] = [];
  await inPool(Array.from({ length: ACCOUNTS }, (_, i) => i + 1), SETUP_WIDTH, async (i) => {
    members.push(await registerLightMember(synapse, i, random));
  });
  const verifiedDb = join(mkdtempSync(join(tmpdir(), "cpts-day-members-")), "members.db");
  const db = openDatabase(verifiedDb);
  const verified = new VerifiedMembers(db, { now: () => Date.now() });
  db.transaction(() => [owner, ...members].forEach((m) => verified.markVerified(m.userId, "bench")))();
  db.close();
  registerPolicyDatabase(synapse.policyRegistryDir, verifiedDb);
  const registerS = since(t);
  log(`${members.length} accounts registered and logged in (${registerS} s)`);

  t = performance.now();
  const rooms = await communityRooms(synapse.baseUrl, owner, members, SETUP_WIDTH);
  const roomsS = since(t);
  log(`community rooms joined (${roomsS} s)`);

  t = performance.now();
  const snp = await createSnpBenchWorld(synapse, SNP_CANDIDATES, { botReadyTimeoutMs: BOT_READY_TIMEOUT_MS });
  stops.push(() => snp.stop());
  const directory = await createDirectoryWorld(synapse, SEARCHERS);
  stops.push(async () => {
    await Promise.all(directory.clients.map((c) => c.stop()));
    await directory.bot.stop();
  });
  const care = await createCareWorld(synapse, CARE_TEAM);
  stops.push(async () => {
    await Promise.all(care.clients.map((c) => c.stop()));
    await care.bot.stop();
  });
  sampler.watch({ name: "bot snp", pid: snp.bot.process.pid!, withDescendants: true });
  sampler.watch({ name: "bot annuaire", pid: directory.bot.process.pid!, withDescendants: true });
  sampler.watch({ name: "bot equipes", pid: care.bot.process.pid!, withDescendants: true });
  const botsS = since(t);
  log(`bots and their ${1 + SNP_CANDIDATES + SEARCHERS + 1 + CARE_TEAM} full clients ready (${botsS} s)`);

  t = performance.now();
  const crowd = new LightCrowd(synapse.baseUrl, members, rooms, random);
  stops.unshift(() => crowd.stop());
  await crowd.startSyncing(SETUP_WIDTH);
  const initialSyncS = since(t);
  log(`light members syncing (${initialSyncS} s); replaying the peak hour in ${REPLAY_S} s`);

  // The replay: every action fired at its time, none awaited before the next (people do not wait for each other).
  const commandMs: Timed[] = [];
  const snpDispatchMs: Timed[] = [];
  const snpFirstMs: Timed[] = [];
  const snpAckMs: Timed[] = [];
  const caseRoomMs: Timed[] = [];
  const failures: Record<string, number> = {};
  let caseMessages = 0;
  const fail = (kind: string) => (err: unknown): void => {
    failures[kind] = (failures[kind] ?? 0) + 1;
    if (failures[kind] <= 2) log(`${kind} failed: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`);
  };
  let snpRun = 0;
  const snpRequest = async (atMs: number): Promise<void> => {
    const marker = `[charge ${++snpRun}]`;
    const mine = (e: MatrixEvent): boolean => e.getSender() === snp.setup.userId && !isEdit(e) && body(e).startsWith("🩺") && body(e).includes(marker);
    const watchers = snp.candidates.map((c) => whenDecrypted(c, mine, DRAIN_TIMEOUT_MS));
    try {
      const sentAt = performance.now();
      const commandId = await snp.regulator.sendText(snp.regulationRoom, `!snp IDE Douai 6h "pansement ${marker}" 70+ sans-MT`);
      const ack = snp.regulator
        .waitForMessage(snp.regulationRoom, (e) => e.getSender() === snp.setup.userId && isReplyTo(commandId)(e), DRAIN_TIMEOUT_MS)
        .then(() => snpAckMs.push({ atMs, ms: performance.now() - sentAt }));
      ack.catch(() => {}); // awaited below, unless the dispatch failed first
      const seen = await snp.whileBotRuns(Promise.all(watchers.map((w) => w.seen)));
      const times = seen.map((s) => s.at - sentAt);
      snpDispatchMs.push({ atMs, ms: Math.max(...times) });
      snpFirstMs.push({ atMs, ms: Math.min(...times) });
      await ack;
    } finally {
      for (const w of watchers) w.cancel();
    }
  };
  const handlers: Record<ActionKind, (atMs: number) => Promise<unknown>> = {
    roomMessages: () => crowd.postRoomMessage(),
    snpRequests: (atMs) => snpRequest(atMs),
    directorySearches: (atMs) => directory.search(random).then((ms) => commandMs.push({ atMs, ms })),
    caseRooms: (atMs) => care.openCaseRoom().then((ms) => caseRoomMs.push({ atMs, ms })),
    caseMessages: () => care.postCaseMessage(random).then((posted) => posted && caseMessages++),
  };
  // Earlier in the day: the SNP bot has opened its direct chats with the candidates, every
  // Megolm session exists (run 1 of bench/snp-dispatch.ts is that cold start, measured there).
  t = performance.now();
  const warmUpFailures: string[] = [];
  const warmUp = (what: string, step: () => Promise<unknown>): Promise<void> =>
    step().then(
      () => {},
      (err: unknown) => void warmUpFailures.push(`${what}: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`),
    );
  await warmUp("SNP request", () => snpRequest(-1));
  await warmUp("directory search", () => directory.search(random));
  await warmUp("case room", () => care.openCaseRoom());
  snpDispatchMs.length = snpFirstMs.length = snpAckMs.length = 0;
  const warmUpS = since(t);
  log(`warm-up done (${warmUpS} s)`);

  const schedule: Action[] = peakHourSchedule(ACCOUNTS, REPLAY_S * 1000, random);
  const replayStart = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (const action of schedule) {
    const wait = replayStart + action.atMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(handlers[action.kind](action.atMs).catch(fail(action.kind)));
  }
  const replayEnd = performance.now();
  const drained = await Promise.race([Promise.all(inFlight).then(() => true), new Promise<false>((r) => setTimeout(() => r(false), DRAIN_TIMEOUT_MS))]);
  const drainS = since(replayEnd);
  await new Promise((r) => setTimeout(r, 2_000)); // the last messages' syncs
  const drainEnd = performance.now();
  sampler.stop();
  const resources = sampler.report(replayStart, drainEnd);
  const crowdFigures = crowd.figures();
  const replayMs = REPLAY_S * 1000;
  const steps = {
    directoryCommand: growth(commandMs, replayMs),
    snpDispatchAll: growth(snpDispatchMs, replayMs),
    snpAck: growth(snpAckMs, replayMs),
    caseRoomOpening: growth(caseRoomMs, replayMs),
  };
  const disk = (dir: string): number => Math.round(Number(execFileSync("du", ["-sk", dir], { encoding: "utf8" }).split("\t")[0]) / 1024);
  const result = {
    accounts: ACCOUNTS,
    setup: SETUP,
    simulated: {
      lightMembers: `${ACCOUNTS} accounts syncing with raw /sync long-polls (lazy-loading filter, 30 s timeout; their initial sync is not replayed: Element has been open since the morning), each in the general room and one profession room; they post Megolm-shaped m.room.encrypted events and send read receipts after ${Math.round(100 * READ_RECEIPT_SHARE)} % of syncs with news; they do not decrypt`,
      fullClients: `${1 + SNP_CANDIDATES} SNP (regulator + ${SNP_CANDIDATES} nurse candidates), ${SEARCHERS} directory searchers, ${1 + CARE_TEAM} care team: Element-like clients (Rust crypto, cross-signed, only-signed-devices), extra accounts beyond the ${ACCOUNTS}`,
      peakHourPer100Members: PEAK_HOUR_PER_100_MEMBERS,
      peakHourCounts: peakHourCounts(ACCOUNTS),
      compression: `the peak hour replayed in ${REPLAY_S} s (${Math.round(3600 / REPLAY_S)}× faster)`,
    },
    machine: { uptimeBefore: loadBefore, uptimeAfter: uptime(), loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100) },
    setupS: { registerAndLogin: registerS, joinCommunityRooms: roomsS, botsAndFullClients: botsS, firstSyncs: initialSyncS, warmUp: warmUpS, total: since(started) },
    replay: { seconds: REPLAY_S, warmUpFailures, drainS, drained, caseMessagesPosted: caseMessages, failures },
    commandRoundTripMs: summary(commandMs.map((s) => s.ms)),
    snpDispatchAllCandidatesMs: summary(snpDispatchMs.map((s) => s.ms)),
    snpDispatchFirstCandidateMs: summary(snpFirstMs.map((s) => s.ms)),
    snpAckMs: summary(snpAckMs.map((s) => s.ms)),
    caseRoomOpeningMs: summary(caseRoomMs.map((s) => s.ms)),
    lightMembers: {
      messageSendMs: summary(crowdFigures.sendMs),
      deliveryToRoomMembersMs: summary(crowdFigures.deliveryMs),
      roomMessagesSent: crowdFigures.roomMessagesSent,
      sendErrors: crowdFigures.sendErrors,
      syncs: crowdFigures.syncs,
      syncErrors: crowdFigures.syncErrors,
      syncMbReceived: crowdFigures.syncMbReceived,
      readReceipts: crowdFigures.readReceipts,
    },
    resources,
    // What the hour's work costs, whatever the machine's contention: the CPU seconds the
    // replay took, spread over a real hour, as a share of one core.
    coreShareAtRealPace: Object.fromEntries(Object.entries(resources.processes).map(([name, f]) => [name, Math.round((f.cpuSeconds / 3600) * 1000) / 1000])),
    diskMb: { ...Object.fromEntries(Object.entries(synapse.dataDirs).map(([name, dir]) => [name, disk(dir)])), botSnp: disk(snp.setup.dataDir), botAnnuaire: disk(directory.setup.dataDir), botEquipes: disk(care.setup.dataDir) },
    growthDuringReplay: steps,
    firstBottleneck: bottleneck(resources, steps),
  };
  console.log(JSON.stringify(result, null, 2));
  log(`done in ${since(started)} s`);
} finally {
  sampler.stop();
  // When the replay did not drain, actions are still in flight as their clients stop (a send
  // encrypting with a crypto machine just freed throws from WASM): after the results, only noise.
  process.on("uncaughtException", (err) => log(`while stopping: ${err.message.slice(0, 200)}`));
  for (const stop of stops) await stop().catch(() => {});
  await synapse.cleanup();
}
process.exit(0);
