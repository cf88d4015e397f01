// The two Synapse set-ups the load test compares, each with the processes whose CPU and
// memory count and the folders whose size counts: one Synapse process on SQLite
// (bench/lib.ts), or the worker set-up of scripts/lib/synapse-workers.ts (PostgreSQL, Redis,
// main process, sync and client workers, federation sender, behind a router that runs in
// this process).
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSynapseInstalled, type RunningSynapse } from "../../scripts/lib/synapse.ts";
import { startSynapseWorkers } from "../../scripts/lib/synapse-workers.ts";
import { startPolicyDirectory } from "../../test/helpers/policy-directory.ts";
import { benchSynapse } from "../lib.ts";
import type { WatchedProcess } from "./process-sampler.ts";

export type SetupName = "single" | "workers";

export interface BenchHomeserver extends RunningSynapse {
  readonly policyRegistryDir: string;
  readonly watched: readonly WatchedProcess[];
  /** Folders holding the server's data, by what they are. */
  readonly dataDirs: Readonly<Record<string, string>>;
  cleanup(): Promise<void>;
}

export function setupName(value: string | undefined): SetupName {
  if (value === undefined || value === "single" || value === "workers") return value ?? "single";
  throw new Error(`BENCH_CPTS_SETUP must be "single" or "workers" (got "${value}")`);
}

export async function startHomeserver(setup: SetupName): Promise<BenchHomeserver> {
  if (setup === "single") {
    const synapse = await benchSynapse();
    return { ...synapse, watched: [{ name: "synapse", pid: synapse.pid, withDescendants: true }], dataDirs: { synapse: synapse.dataDir } };
  }
  await ensureSynapseInstalled();
  const dataDir = await mkdtemp(join(tmpdir(), "cpts-bench-workers-"));
  const directory = await startPolicyDirectory(join(dataDir, "policy-directory"));
  const synapse = await startSynapseWorkers({ dataDir: join(dataDir, "synapse-workers"), policyDirectory: directory.access });
  const main = synapse.processes[0]!;
  const children = childrenOfThisProcess();
  const postmaster = children.find((c) => c.comm === "postgres");
  const redis = children.find((c) => c.comm.startsWith("redis-server"));
  const watched: WatchedProcess[] = synapse.processes.map((p) => ({ name: `synapse ${p.name}`, pid: p.pid, withDescendants: true }));
  if (postmaster) watched.push({ name: "postgresql", pid: postmaster.pid, withDescendants: true });
  if (redis) watched.push({ name: "redis", pid: redis.pid, withDescendants: false });
  const postgresData = postmaster ? /(?:^|\0)-D\0([^\0]+)/.exec(postmaster.cmdline)?.[1] : undefined;
  return {
    baseUrl: synapse.baseUrl,
    serverName: synapse.serverName,
    registrationSharedSecret: synapse.registrationSharedSecret,
    dataDir: synapse.dataDir,
    pid: main.pid,
    exited: main.exited,
    stop: () => synapse.stop(),
    policyRegistryDir: directory.access.registryDir,
    watched,
    dataDirs: { synapse: synapse.dataDir, ...(postgresData ? { postgresql: postgresData } : {}) },
    async cleanup() {
      await synapse.stop();
      await directory.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Direct children of this process (PostgreSQL and Redis are started from here), with their command. */
function childrenOfThisProcess(): { pid: number; comm: string; cmdline: string }[] {
  const found: { pid: number; comm: string; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      found.push({ pid, comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8") });
    } catch {
      // the process ended
    }
  }
  return found;
}
