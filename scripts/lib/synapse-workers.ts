// Synapse in its worker set-up, as local processes, for the end-to-end tests in worker mode
// (SYNAPSE_TOPOLOGY=workers, test/global-setup.ts) and the load test (bench/): a throw-away
// PostgreSQL cluster, a private Redis, the main process, two generic workers (sync; client
// requests and event sending), a federation sender, and a router in front giving clients one
// base URL with the production routing table (synapse-config/workers/routes.yaml). Media
// stay on the main process here. Every Synapse process reads the same homeserver.yaml
// (synapse-config/test.yaml plus the worker keys below), so the CPTS policy module
// (cpts_policy) and the lifted rate limits apply in each of them.
//
//   const synapse = await startSynapseWorkers({ dataDir, policyDirectory });
//   synapse.baseUrl   // the router: use it as the homeserver URL
//   synapse.processes // name and pid of each process (CPU and memory figures)
//   await synapse.stop();
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { startTemporaryPostgres, type LocalPostgres } from "./postgres.ts";
import { startRedis, type LocalRedis } from "./redis.ts";
import { writeHomeserverConfig, type PolicyDirectory, type SynapsePaths } from "./synapse-config.ts";
import { ensureSigningKey, launchSynapse, type SynapseExit, type SynapseProcess } from "./synapse-process.ts";
import { startSynapseRouter } from "./synapse-router.ts";
import { loadRoutes, MAIN_PROCESS } from "./synapse-routes.ts";
import { findFreePort } from "./free-port.ts";

/** Worker names, as in the routing table and docker-compose.workers.yml. */
export const SYNC_WORKER = "synapse-sync";
export const CLIENT_WORKER = "synapse-client";
export const FEDERATION_SENDER = "synapse-federation-sender";

export interface SynapseWorkersOptions {
  /** Created if missing; holds the Synapse config and logs (one per process). The PostgreSQL cluster has its own temporary directory. */
  dataDir: string;
  policyDirectory: PolicyDirectory;
}

export interface RunningProcess {
  name: string;
  pid: number;
  exited: Promise<SynapseExit>;
}

export interface RunningSynapseWorkers {
  /** The router: the one homeserver URL for clients and bots. */
  baseUrl: string;
  serverName: string;
  registrationSharedSecret: string;
  dataDir: string;
  /** The main process and the workers (not PostgreSQL, Redis or the router). */
  processes: RunningProcess[];
  /** Requests the router passed to each process. */
  routedCounts(): Record<string, number>;
  stop(): Promise<void>;
}

type Yaml = Record<string, unknown>;

function workerPaths(paths: SynapsePaths, name: string): SynapsePaths {
  return { ...paths, log: join(paths.dataDir, `${name}.log`), pidFile: join(paths.dataDir, `${name}.pid`) };
}

function workerConfig(name: string, port: number, resources: string[], logConfig: string): string {
  return stringify({
    worker_app: "synapse.app.generic_worker",
    worker_name: name,
    worker_listeners: [{ type: "http", port, bind_addresses: ["127.0.0.1"], x_forwarded: false, resources: [{ names: resources, compress: false }] }],
    worker_log_config: logConfig,
  });
}

export async function startSynapseWorkers(opts: SynapseWorkersOptions): Promise<RunningSynapseWorkers> {
  const stack: (() => Promise<void>)[] = [];
  const synapseStops: (() => Promise<void>)[] = [];
  // Synapse's processes together (each may take seconds), then what they use.
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(synapseStops.splice(0).map((stop) => stop()));
    for (const stop of stack.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    await mkdir(opts.dataDir, { recursive: true });
    const synapseDir = join(opts.dataDir, "synapse");
    const [postgres, redis] = await Promise.all([startTemporaryPostgres(), startRedis()]);
    stack.push(() => postgres.stop(), () => redis.stop());
    postgres.sql("CREATE DATABASE synapse ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");

    const ports = { main: await findFreePort(), replication: await findFreePort(), sync: await findFreePort(), client: await findFreePort(), federationSender: await findFreePort() };
    const prepared = await writeHomeserverConfig({ mode: "test", dataDir: synapseDir, port: ports.main, policyDirectory: opts.policyDirectory });
    const routes = loadRoutes();
    const router = await startSynapseRouter(routes, {
      [MAIN_PROCESS]: prepared.baseUrl,
      [SYNC_WORKER]: `http://127.0.0.1:${ports.sync}`,
      [CLIENT_WORKER]: `http://127.0.0.1:${ports.client}`,
    });
    stack.push(() => router.stop());
    await writeSharedConfig(prepared.paths, { postgres, redis, replicationPort: ports.replication, publicBaseUrl: router.baseUrl });
    await ensureSigningKey(prepared.paths);

    const processes: RunningProcess[] = [];
    const track = (name: string, proc: SynapseProcess): void => {
      processes.push({ name, pid: proc.pid, exited: proc.exited });
      synapseStops.push(async () => {
        const t = Date.now();
        await proc.stop();
        if (process.env.SYNAPSE_TIMING) console.log(`[synapse-workers] ${name} stopped in ${Date.now() - t} ms`);
      });
    };
    // The main process first: it migrates the empty database, which workers refuse to do.
    track(MAIN_PROCESS, await launchSynapse(prepared.paths, prepared.baseUrl));
    const workers: [string, number, string[]][] = [
      [SYNC_WORKER, ports.sync, ["client"]],
      [CLIENT_WORKER, ports.client, ["client"]],
      [FEDERATION_SENDER, ports.federationSender, ["health"]],
    ];
    const launched = await Promise.allSettled(
      workers.map(async ([name, port, resources]) => {
        const file = join(synapseDir, `${name}.yaml`);
        await writeFile(file, workerConfig(name, port, resources, prepared.paths.logConfig));
        const proc = await launchSynapse(workerPaths(prepared.paths, name), `http://127.0.0.1:${port}`, file);
        track(name, proc);
      }),
    );
    const failed = launched.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;

    return {
      baseUrl: router.baseUrl,
      serverName: prepared.serverName,
      registrationSharedSecret: prepared.secrets.registration_shared_secret,
      dataDir: opts.dataDir,
      processes,
      routedCounts: () => router.counts(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The worker keys of Synapse's shared configuration (Synapse docs, workers.md, "Shared configuration"). */
async function writeSharedConfig(
  paths: SynapsePaths,
  opts: { postgres: LocalPostgres; redis: LocalRedis; replicationPort: number; publicBaseUrl: string },
): Promise<void> {
  const text = await readFile(paths.config, "utf8");
  const header = text.split("\n")[0]!;
  const config = parse(text) as Yaml;
  const listeners = config.listeners as Yaml[];
  const shared: Yaml = {
    ...config,
    public_baseurl: `${opts.publicBaseUrl}/`,
    database: {
      name: "psycopg2",
      args: { user: opts.postgres.user, database: "synapse", host: opts.postgres.host, port: opts.postgres.port, cp_min: 1, cp_max: 5 },
    },
    listeners: [...listeners, { type: "http", port: opts.replicationPort, bind_addresses: ["127.0.0.1"], resources: [{ names: ["replication"] }] }],
    redis: { enabled: true, host: opts.redis.host, port: opts.redis.port },
    instance_map: { main: { host: "127.0.0.1", port: opts.replicationPort } },
    federation_sender_instances: [FEDERATION_SENDER],
  };
  await writeFile(paths.config, `${header}\n# Worker set-up added by scripts/lib/synapse-workers.ts.\n${stringify(shared, { aliasDuplicateObjects: false })}`, { mode: 0o600 });
}
