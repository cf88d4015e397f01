// A throw-away PostgreSQL cluster for the Synapse worker set-up (tests and benchmarks):
// Debian's PostgreSQL binaries, a data directory of its own, listening on 127.0.0.1 on a
// free port only (no Unix socket), trust authentication (nothing else can reach it), and
// durability off (fsync, synchronous_commit): a test cluster is thrown away after the run.
// Root cannot run PostgreSQL, so under root the cluster belongs to Debian's `postgres` user.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findFreePort } from "./free-port.ts";

const POSTGRES_BIN_CANDIDATES = ["/usr/local/bin", ...listVersionDirs("/usr/lib/postgresql")];
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

function listVersionDirs(root: string): string[] {
  const result = spawnSync("ls", ["-1", root], { encoding: "utf8" });
  if (result.status !== 0) return [];
  return result.stdout
    .split("\n")
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, "bin"));
}

/** Directory holding `initdb` and `postgres`, or a clear error saying what to install. */
export function postgresBinDir(): string {
  const dir = POSTGRES_BIN_CANDIDATES.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "postgres")));
  if (!dir) throw new Error("PostgreSQL is not installed (initdb and postgres not found): run scripts/install-redis-postgres.sh as root");
  // /usr/local/bin may hold only links to a few of them: psql and pg_isready sit beside the real ones.
  return dirname(realpathSync(join(dir, "initdb")));
}

interface RunAs {
  uid: number;
  gid: number;
  /** Prefix of a command run as the cluster's owner. */
  wrap(cmd: string, args: string[]): [string, string[]];
}

function clusterOwner(): RunAs {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, wrap: (cmd, args) => [cmd, args] };
  const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0) throw new Error("running as root, PostgreSQL needs the unprivileged `postgres` user (Debian's postgresql package creates it)");
  return { uid, gid, wrap: (cmd, args) => ["setpriv", [`--reuid=${uid}`, `--regid=${gid}`, "--init-groups", "--", cmd, ...args]] };
}

function run(owner: RunAs, cmd: string, args: string[]): void {
  const [c, a] = owner.wrap(cmd, args);
  const result = spawnSync(c, a, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/** Creates an empty cluster in `dataDir` (which must not exist yet), owned by the right user. */
export function initCluster(dataDir: string): void {
  const owner = clusterOwner();
  mkdirSync(dataDir, { mode: 0o700 });
  chownSync(dataDir, owner.uid, owner.gid);
  // Synapse refuses a database whose collation is not C.
  run(owner, join(postgresBinDir(), "initdb"), ["-D", dataDir, "--auth=trust", "--username=synapse", "--encoding=UTF8", "--locale=C", "--no-sync"]);
}


export interface LocalPostgres {
  host: "127.0.0.1";
  port: number;
  user: "synapse";
  dataDir: string;
  /** Runs SQL as the superuser (e.g. CREATE DATABASE). */
  sql(statement: string, database?: string): void;
  stop(): Promise<void>;
}

async function waitReady(port: number, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const isready = join(postgresBinDir(), "pg_isready");
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`PostgreSQL exited during start-up:\n${readFileSync(logPath, "utf8").split("\n").slice(-20).join("\n")}`);
    }
    if (spawnSync(isready, ["-h", "127.0.0.1", "-p", String(port), "-q"]).status === 0) return;
    await sleep(100);
  }
  throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (log: ${logPath})`);
}

/**
 * A new cluster in a directory of its own under the system's temporary directory (reachable
 * by the `postgres` user when running as root), started; stop() removes it.
 */
export async function startTemporaryPostgres(): Promise<LocalPostgres> {
  const root = mkdtempSync(join(tmpdir(), "cpts-postgres-"));
  if (userInfo().uid === 0) chmodSync(root, 0o755);
  try {
    initCluster(join(root, "data"));
    const postgres = await startPostgres(join(root, "data"), { logPath: join(root, "postgres.log") });
    return {
      ...postgres,
      stop: async () => {
        await postgres.stop();
        if (process.env.KEEP_SYNAPSE_DATA) console.log(`[postgres] cluster kept in ${root}`);
        else rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

/** Starts the cluster in `dataDir` in the foreground on a free port of 127.0.0.1. */
export async function startPostgres(dataDir: string, opts: { port?: number; logPath?: string } = {}): Promise<LocalPostgres> {
  const owner = clusterOwner();
  const port = opts.port ?? (await findFreePort());
  const logPath = opts.logPath ?? join(dataDir, "..", "postgres.log");
  const logFd = openSync(logPath, "a");
  chownSync(logPath, owner.uid, owner.gid);
  const settings = [
    "listen_addresses=127.0.0.1",
    `port=${port}`,
    "unix_socket_directories=",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
    "shared_buffers=64MB",
  ];
  const [cmd, args] = owner.wrap(join(postgresBinDir(), "postgres"), ["-D", dataDir, ...settings.flatMap((s) => ["-c", s])]);
  const child = spawn(cmd, args, { stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = (): void => void child.kill("SIGINT");
  process.once("exit", killOnExit);
  const stop = async (): Promise<void> => {
    process.off("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGINT: PostgreSQL's "fast" shutdown (disconnects clients, then stops).
    child.kill("SIGINT");
    const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS, true)]);
    if (timedOut) {
      child.kill("SIGKILL");
      await exited;
    }
  };
  try {
    await waitReady(port, child, logPath);
  } catch (err) {
    await stop();
    throw err;
  }
  const psql = join(postgresBinDir(), "psql");
  return {
    host: "127.0.0.1",
    port,
    user: "synapse",
    dataDir,
    sql(statement, database = "postgres") {
      const result = spawnSync(psql, ["-h", "127.0.0.1", "-p", String(port), "-U", "synapse", "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement], { encoding: "utf8" });
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    },
    stop,
  };
}
