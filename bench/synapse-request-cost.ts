// What one Synapse process spends per request the mail bridge makes: an encrypted event sent
// (nobody syncing, then with a member's client long-polling /sync, woken by each event) and a
// 270 KB upload (a 200 KB PDF's .eml, encrypted). The homeserver is the benchmarks' (test
// policy, the CPTS policy module loaded); CPU seconds are read from /proc. Prints JSON with the
// mail catch-up's ceiling on one Synapse process (3 events and 2 uploads per mail).
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, loadAverage } from "./lib.ts";
import { cpuSecondsOf } from "./cpts-day/process-sampler.ts";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 300);
const EVENTS_PER_MAIL = 3;
const UPLOADS_PER_MAIL = 2;

const synapse = await benchSynapse();
const cpuSeconds = (): number => cpuSecondsOf(synapse.pid);

async function call<T>(token: string, method: string, path: string, body?: unknown, bytes?: Buffer): Promise<T> {
  const response = await fetch(`${synapse.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": bytes ? "application/octet-stream" : "application/json" },
    body: bytes ? new Uint8Array(bytes) : body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function login(user: { localpart: string; password: string }): Promise<string> {
  const body = { type: "m.login.password", identifier: { type: "m.id.user", user: user.localpart }, password: user.password };
  return (await call<{ access_token: string }>("", "POST", "/_matrix/client/v3/login", body)).access_token;
}

/** CPU ms of the Synapse process and wall ms, per round. */
async function measure(rounds: number, step: (i: number) => Promise<unknown>): Promise<{ cpuMs: number; roundTripMs: number }> {
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await step(i);
  return { cpuMs: Math.round(((cpuSeconds() - cpu0) * 10_000) / rounds) / 10, roundTripMs: Math.round(((performance.now() - t0) * 10) / rounds) / 10 };
}

try {
  const loadAtStart = loadAverage();
  // Bot accounts on both ends: the CPTS policy lets bots invite and be invited without a directory entry.
  const [sender, reader] = await Promise.all([createTestUser("bot-sender", {}, synapse), createTestUser("bot-reader", {}, synapse)]);
  const [senderToken, readerToken] = await Promise.all([login(sender), login(reader)]);
  const { room_id: roomId } = await call<{ room_id: string }>(senderToken, "POST", "/_matrix/client/v3/createRoom", { invite: [reader.userId], preset: "private_chat" });
  await call(readerToken, "POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
  const megolm = { algorithm: "m.megolm.v1.aes-sha2", ciphertext: randomBytes(1_500).toString("base64"), device_id: "BENCH", sender_key: "bench", session_id: "bench" };
  const send = (txnId: string): Promise<unknown> => call(senderToken, "PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/${txnId}`, megolm);

  const eventSent = await measure(ROUNDS, (i) => send(`alone-${i}`));
  const encryptedEml = randomBytes(270 * 1024);
  const upload = await measure(Math.ceil(ROUNDS / 3), () => call(senderToken, "POST", "/_matrix/media/v3/upload", undefined, encryptedEml));

  let since = (await call<{ next_batch: string }>(readerToken, "GET", "/_matrix/client/v3/sync?timeout=0")).next_batch;
  let syncs = 0;
  let reading = true;
  const readerLoop = (async () => {
    while (reading) {
      since = (await call<{ next_batch: string }>(readerToken, "GET", `/_matrix/client/v3/sync?timeout=30000&since=${since}`)).next_batch;
      syncs++;
    }
  })();
  const eventSentWithReader = await measure(ROUNDS, (i) => send(`read-${i}`));
  reading = false;
  await send("last");
  await readerLoop;

  const perMailLow = EVENTS_PER_MAIL * eventSent.cpuMs + UPLOADS_PER_MAIL * upload.cpuMs;
  const perMailHigh = EVENTS_PER_MAIL * eventSentWithReader.cpuMs + UPLOADS_PER_MAIL * upload.cpuMs;
  console.log(
    JSON.stringify(
      {
        benchmark: "Synapse CPU per request of the mail bridge (one process)",
        rounds: ROUNDS,
        encryptedEventSent: eventSent,
        encryptedEventSentWhileAMemberSyncs: { ...eventSentWithReader, readerSyncs: syncs },
        upload270KB: upload,
        mailCatchUp: {
          perMail: `${EVENTS_PER_MAIL} events + ${UPLOADS_PER_MAIL} uploads`,
          synapseCpuMsPerMail: { nobodyReading: Math.round(perMailLow), oneMemberWokenByEachEvent: Math.round(perMailHigh) },
          ceilingMailsPerSecondOnOneFullCore: { nobodyReading: Math.round(10_000 / perMailLow) / 10, oneMemberWokenByEachEvent: Math.round(10_000 / perMailHigh) / 10 },
          aim: "mailsPerSecond >= 20",
        },
        loadAverage1m5m15m: { atStart: loadAtStart, atEnd: loadAverage() },
      },
      null,
      2,
    ),
  );
} finally {
  await synapse.cleanup();
}
