// Video calls on this machine: call set-up time (every participant asks the authorisation
// service for a token → every participant receives every other's audio and video) and CPU
// per participant, for 2, 4 and 8 participants (an RCP is usually 4 to 8). Real Synapse,
// real LiveKit, the real authorisation service, each participant a headless Chromium page
// with fake camera and microphone (Chromium's synthetic 640×480 video). CPU is read from
// /proc over BENCH_CALL_WINDOW_S seconds (default 10) once the call is up: the SFU's
// process, and the browsers (every other descendant of this process), divided by the
// participants. Prints JSON. BENCH_CALL_SIZES (default "2,4,8") sets the call sizes.
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { joinCall, launchCallPages, receivedTracks } from "../test/helpers/call-page.ts";
import { login, requestCallToken, requestOpenIdToken, roomWith, startCallWorld } from "../test/helpers/call-world.ts";
import { createTestUser } from "../test/helpers/users.ts";
import { benchSynapse } from "./lib.ts";

const SIZES = (process.env["BENCH_CALL_SIZES"] ?? "2,4,8").split(",").map(Number);
const WINDOW_S = Number(process.env["BENCH_CALL_WINDOW_S"] ?? 10);
const TICKS_PER_S = 100;

/** utime + stime of a process, in clock ticks; 0 when it is gone. */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parent.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const [child, p] of parent) if (p === pid) (found.push(child), visit(child));
  };
  visit(root);
  return found;
}

const synapse = await benchSynapse();
const world = await startCallWorld(synapse.baseUrl, synapse.serverName);
const results = [];
try {
  for (const size of SIZES) {
    const pages = await launchCallPages();
    try {
      const sessions = [];
      for (let i = 0; i < size; i++) {
        const user = await createTestUser(`rcp-${size}-${i}`, {}, synapse);
        sessions.push(await login(synapse.baseUrl, user.localpart, user.password));
      }
      for (const s of sessions) world.verified.add(s.userId);
      const [owner, ...others] = sessions;
      const roomId = await roomWith(synapse.baseUrl, owner!, others);
      world.witness = owner;
      const participants = await Promise.all(sessions.map(() => pages.newParticipant()));

      const start = performance.now();
      await Promise.all(
        sessions.map(async (s, i) => {
          const answer = await requestCallToken(world, { room: roomId, openid_token: await requestOpenIdToken(synapse.baseUrl, s), device_id: s.deviceId });
          if (answer.status !== 200) throw new Error(`token refused: ${answer.status}`);
          await joinCall(participants[i]!, answer.body.url!, answer.body.jwt!);
        }),
      );
      const expected = 2 * (size - 1);
      for (;;) {
        const counts = await Promise.all(participants.map(async (p) => (await receivedTracks(p)).length));
        if (counts.every((c) => c >= expected)) break;
        if (performance.now() - start > 120_000) throw new Error(`media incomplete after 120 s: ${counts.join(",")} of ${expected}`);
        await sleep(50);
      }
      const setupMs = Math.round(performance.now() - start);

      const browsers = () => descendants(process.pid).filter((pid) => pid !== world.liveKit.pid);
      const before = { sfu: cpuTicks(world.liveKit.pid), browsers: browsers().reduce((t, pid) => t + cpuTicks(pid), 0) };
      await sleep(WINDOW_S * 1000);
      const after = { sfu: cpuTicks(world.liveKit.pid), browsers: browsers().reduce((t, pid) => t + cpuTicks(pid), 0) };
      const percent = (ticks: number): number => Math.round((ticks / TICKS_PER_S / WINDOW_S) * 1000) / 10;
      results.push({
        participants: size,
        setupMs,
        cpuPercentOfOneCore: {
          sfuTotal: percent(after.sfu - before.sfu),
          sfuPerParticipant: percent((after.sfu - before.sfu) / size),
          browserPerParticipant: percent((after.browsers - before.browsers) / size),
        },
      });
    } finally {
      await pages.close();
    }
  }
  console.log(JSON.stringify({ benchmark: "calls", machine: { cpus: (await import("node:os")).cpus().length }, windowSeconds: WINDOW_S, results }, null, 2));
} finally {
  await world.stop();
  await synapse.cleanup();
}
