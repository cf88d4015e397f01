// Runs a real Synapse as a local child process, for `npm start` (mode "local") and the
// vitest global setup (mode "test").
import { existsSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { writeHomeserverConfig, type PolicyDirectory, type SynapseMode } from "./synapse-config.ts";
import { ensureSigningKey, launchSynapse, type SynapseExit } from "./synapse-process.ts";
import { ensureTemplate } from "./synapse-template.ts";
import { findFreePort } from "./free-port.ts";

export type { PolicyDirectory, SynapseMode } from "./synapse-config.ts";
export type { SynapseExit } from "./synapse-process.ts";
export { ensureSynapseInstalled } from "./synapse-install.ts";
export { findFreePort } from "./free-port.ts";
export { registerUser } from "./synapse-admin.ts";

export interface SynapseOptions {
  mode: SynapseMode;
  dataDir: string;
  /** Default: a free port for "test", 8008 for "local". */
  port?: number;
  /** The call authorisation service the homeserver announces (MSC4143); none: no calls. */
  matrixRtcServiceUrl?: string;
  /** Where the CPTS policy module asks about members (see synapse-config/<mode>.yaml). */
  policyDirectory: PolicyDirectory;
}

export interface RunningSynapse {
  baseUrl: string;
  serverName: string;
  registrationSharedSecret: string;
  dataDir: string;
  pid: number;
  /** Settles when Synapse ends, after stop() or on a crash. */
  exited: Promise<SynapseExit>;
  stop(): Promise<void>;
}

export async function startSynapse(opts: SynapseOptions): Promise<RunningSynapse> {
  const port = opts.port ?? (opts.mode === "test" ? await findFreePort() : 8008);
  const prepared = await writeHomeserverConfig({
    mode: opts.mode,
    dataDir: opts.dataDir,
    port,
    policyDirectory: opts.policyDirectory,
    ...(opts.matrixRtcServiceUrl ? { matrixRtcServiceUrl: opts.matrixRtcServiceUrl } : {}),
  });
  if (!existsSync(prepared.paths.database)) {
    const template = await ensureTemplate(opts.mode);
    await copyFile(template.path, prepared.paths.database);
  }
  await ensureSigningKey(prepared.paths);
  const proc = await launchSynapse(prepared.paths, prepared.baseUrl);
  return {
    baseUrl: prepared.baseUrl,
    serverName: prepared.serverName,
    registrationSharedSecret: prepared.secrets.registration_shared_secret,
    dataDir: opts.dataDir,
    pid: proc.pid,
    exited: proc.exited,
    stop: proc.stop,
  };
}
