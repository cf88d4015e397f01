// One real Synapse (mode "test") for the whole vitest run, on a throw-away data directory
// seeded from the migrated template database. It loads the CPTS policy module as in
// production; the module asks a test directory (helpers/policy-directory.ts) which members
// are verified.
// SYNAPSE_TOPOLOGY=workers runs Synapse in its worker set-up instead (PostgreSQL, Redis, main
// process, generic workers, federation sender, behind a router: scripts/lib/synapse-workers.ts);
// the tests see one base URL either way.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureSynapseInstalled, startSynapse } from "../scripts/lib/synapse.ts";
import { startSynapseWorkers } from "../scripts/lib/synapse-workers.ts";
import { startPolicyDirectory, type PolicyDirectoryAccess } from "./helpers/policy-directory.ts";
import type {} from "./helpers/provided.ts";

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  await ensureSynapseInstalled();
  const dataDir = await mkdtemp(join(tmpdir(), "cpts-synapse-test-"));
  const started = Date.now();
  const directory = await startPolicyDirectory(join(dataDir, "policy-directory"));
  const synapse = await startTestSynapse(dataDir, directory.access).catch(
    async (err: unknown) => {
      await directory.stop();
      await rm(dataDir, { recursive: true, force: true });
      throw err;
    },
  );
  if (process.env.SYNAPSE_TIMING) {
    console.log(`[global-setup] Synapse (${topology()}) ready at ${synapse.baseUrl} in ${Date.now() - started} ms`);
  }
  provide("synapse", {
    baseUrl: synapse.baseUrl,
    serverName: synapse.serverName,
    registrationSharedSecret: synapse.registrationSharedSecret,
  });
  provide("policyDirectory", directory.access);
  return async () => {
    await synapse.stop();
    await directory.stop();
    // Keep the server's files when asked, to read synapse.log after a failure.
    if (process.env.KEEP_SYNAPSE_DATA) console.log(`[global-setup] Synapse data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  };
}

type Topology = "single" | "workers";

function topology(): Topology {
  const value = process.env.SYNAPSE_TOPOLOGY ?? "single";
  if (value !== "single" && value !== "workers") throw new Error(`SYNAPSE_TOPOLOGY must be "single" or "workers", not "${value}"`);
  return value;
}

function startTestSynapse(dataDir: string, policyDirectory: PolicyDirectoryAccess): Promise<{ baseUrl: string; serverName: string; registrationSharedSecret: string; stop(): Promise<void> }> {
  if (topology() === "workers") return startSynapseWorkers({ dataDir: join(dataDir, "synapse-workers"), policyDirectory });
  return startSynapse({ mode: "test", dataDir: join(dataDir, "synapse"), policyDirectory });
}
