// Command → reply round trip in an encrypted DM with the bot, next to the raw round trip
// between two plain encrypted clients (one answers the other as fast as it can), measured
// interleaved in the same run so machine noise hits both alike. Prints JSON.
import { performance } from "node:perf_hooks";
import { EventType, MatrixEventEvent, MsgType, RoomEvent, type MatrixEvent } from "matrix-js-sdk";
import { prepareBot, startBotProcess } from "../test/helpers/bot-process.ts";
import { createElementClient, type ElementClient } from "../test/helpers/element-client.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse, summary } from "./lib.ts";
import { isReplyTo } from "../test/helpers/replies.ts";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 200);
const WARMUP = 10;


async function roundTrip(client: ElementClient, roomId: string, body: string): Promise<number> {
  const started = performance.now();
  const id = await client.sendText(roomId, body);
  await client.waitForMessage(roomId, isReplyTo(id));
  return performance.now() - started;
}

/** The plain peer answers every text with a reply, like the bot but with no logic at all. */
function answerEverything(peer: ElementClient, roomId: string, from: string): void {
  const answered = new Set<string>();
  const answer = (event: MatrixEvent): void => {
    const id = event.getId();
    if (event.getRoomId() !== roomId || event.getSender() !== from || !id || answered.has(id)) return;
    if (event.isBeingDecrypted() || event.shouldAttemptDecryption() || event.getType() !== "m.room.message") return;
    answered.add(id);
    void peer.client.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Notice, body: "pong", "m.relates_to": { "m.in_reply_to": { event_id: id } } } as never);
  };
  peer.client.on(RoomEvent.Timeline, answer);
  peer.client.on(MatrixEventEvent.Decrypted, answer);
}

const synapse = await benchSynapse();
try {
  const botSetup = await prepareBot({}, synapse);
  const bot = await startBotProcess(botSetup);
  const gpUser = await createTestUser("gp", {}, synapse);
  const peerUser = await createTestUser("peer", {}, synapse);
  const gp = await createElementClient(gpUser, synapse.baseUrl);
  const peer = await createElementClient(peerUser, synapse.baseUrl);

  const botRoom = await gp.createEncryptedDm(botSetup.userId);
  await gp.waitForJoin(botRoom, botSetup.userId);
  const peerRoom = await gp.createEncryptedDm(peerUser.userId);
  await peer.joinRoom(peerRoom);
  await gp.waitForJoin(peerRoom, peerUser.userId);
  answerEverything(peer, peerRoom, gpUser.userId);

  for (let i = 0; i < WARMUP; i++) {
    await roundTrip(gp, botRoom, "!ping");
    await roundTrip(gp, peerRoom, "ping");
  }
  const botMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    botMs.push(await roundTrip(gp, botRoom, "!ping"));
    rawMs.push(await roundTrip(gp, peerRoom, "ping"));
  }
  const bot_ = summary(botMs);
  const raw = summary(rawMs);
  console.log(
    JSON.stringify(
      {
        benchmark: "encrypted command round trip",
        rounds: ROUNDS,
        botCommandMs: bot_,
        rawClientToClientMs: raw,
        ratioP50: Math.round((bot_.p50 / raw.p50) * 100) / 100,
        ratioP95: Math.round((bot_.p95 / raw.p95) * 100) / 100,
        aim: "ratio <= 1.3",
      },
      null,
      2,
    ),
  );
  await gp.stop();
  await peer.stop();
  await bot.stop();
} finally {
  await synapse.cleanup();
}
process.exit(0);
