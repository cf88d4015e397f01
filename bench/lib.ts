import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSynapseInstalled, startSynapse, type RunningSynapse } from "../scripts/lib/synapse.ts";
import { startPolicyDirectory } from "../test/helpers/policy-directory.ts";
import type { ElementClient } from "../test/helpers/element-client.ts";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { RoomMemberEvent, type MatrixEvent, type RoomMember } from "matrix-js-sdk";

/** A throw-away test-mode Synapse (with its policy module's test directory) for one benchmark run. */
export async function benchSynapse(): Promise<RunningSynapse & { policyRegistryDir: string; cleanup(): Promise<void> }> {
  await ensureSynapseInstalled();
  const dataDir = await mkdtemp(join(tmpdir(), "cpts-bench-"));
  const directory = await startPolicyDirectory(join(dataDir, "policy-directory"));
  const synapse = await startSynapse({ mode: "test", dataDir: join(dataDir, "synapse"), policyDirectory: directory.access });
  return {
    ...synapse,
    policyRegistryDir: directory.access.registryDir,
    async cleanup() {
      await synapse.stop();
      await directory.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The machine's load average (1, 5, 15 min), as the benchmarks print it next to their figures. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(" ");
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? NaN) * 10) / 10;
}

export function summary(samples: readonly number[]): { n: number; p50: number; p95: number; mean: number } {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), mean: Math.round(mean * 10) / 10 };
}

/** Resolves when every client has been invited by `inviter` to a room it was not invited to before. */
export function invitationsFrom(clients: readonly ElementClient[], inviter: string, timeoutMs: number): Promise<number> {
  return Promise.all(
    clients.map(
      (client) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => {
            client.client.off(RoomMemberEvent.Membership, listener);
            reject(new Error(`${client.userId}: no invitation from ${inviter} after ${timeoutMs} ms`));
          }, timeoutMs);
          const listener = (event: MatrixEvent, member: RoomMember): void => {
            if (member.userId !== client.userId || member.membership !== "invite" || event.getSender() !== inviter) return;
            clearTimeout(timer);
            client.client.off(RoomMemberEvent.Membership, listener);
            resolve(performance.now());
          };
          client.client.on(RoomMemberEvent.Membership, listener);
        }),
    ),
  ).then((times) => Math.max(...times));
}
