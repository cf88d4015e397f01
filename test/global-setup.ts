// One real Synapse (mode "test") for the whole vitest run, on a throw-away data directory
// seeded from the migrated template database.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureSynapseInstalled, startSynapse } from "../scripts/lib/synapse.ts";
import type {} from "./helpers/provided.ts";

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  await ensureSynapseInstalled();
  const dataDir = await mkdtemp(join(tmpdir(), "cpts-synapse-test-"));
  const started = Date.now();
  const synapse = await startSynapse({ mode: "test", dataDir }).catch(async (err: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  if (process.env.SYNAPSE_TIMING) {
    console.log(`[global-setup] Synapse ready at ${synapse.baseUrl} in ${Date.now() - started} ms`);
  }
  provide("synapse", {
    baseUrl: synapse.baseUrl,
    serverName: synapse.serverName,
    registrationSharedSecret: synapse.registrationSharedSecret,
  });
  return async () => {
    await synapse.stop();
    // Keep the server's files when asked, to read synapse.log after a failure.
    if (process.env.KEEP_SYNAPSE_DATA) console.log(`[global-setup] Synapse data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  };
}
