// One Synapse process for a prepared data directory: spawn, wait for /health, stop.
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { SynapsePaths } from "./synapse-config.ts";
import { REPO_ROOT, SYNAPSE_PYTHON, runCommand } from "./synapse-install.ts";
import { assertPortFree } from "./free-port.ts";
import { isProcessAlive as isAlive } from "../../bots/core/pid-file.ts";

const HEALTH_TIMEOUT_MS = 180_000;
const SYNAPSE_MODULES_DIR = join(REPO_ROOT, "synapse-config");
const STOP_GRACE_MS = 15_000;

export interface SynapseExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SynapseProcess {
  pid: number;
  /** Settles when the process ends, whether stopped or crashed. */
  exited: Promise<SynapseExit>;
  stop(): Promise<void>;
}

export async function ensureSigningKey(paths: SynapsePaths): Promise<void> {
  if (existsSync(paths.signingKey)) return;
  await runCommand(SYNAPSE_PYTHON, ["-m", "synapse.app.homeserver", "-c", paths.config, "--generate-keys"], {
    cwd: paths.dataDir,
  });
}

async function logTail(path: string, lines = 40): Promise<string> {
  try {
    return (await readFile(path, "utf8")).split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// Synapse writes pid_file only when it daemonizes, so the runner owns this file.
// A live pid from a previous run means that server still holds the database and port.
async function claimPidFile(paths: SynapsePaths): Promise<void> {
  if (!existsSync(paths.pidFile)) return;
  const pid = Number((await readFile(paths.pidFile, "utf8")).trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    let cmdline = "";
    try {
      cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
    } catch {
      // not Linux, or the process just ended: treat as ours to be safe
      cmdline = paths.config;
    }
    if (cmdline.includes(paths.config)) {
      throw new Error(`Synapse is already running for ${paths.dataDir} (pid ${pid}); stop it first`);
    }
  }
  await rm(paths.pidFile, { force: true });
}

async function waitForHealth(baseUrl: string, exited: Promise<unknown>, logPath: string): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited) {
      throw new Error(`Synapse exited during start-up. Last log lines (${logPath}):\n${await logTail(logPath)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`Synapse did not answer /health within ${HEALTH_TIMEOUT_MS / 1000} s:\n${await logTail(logPath)}`);
}

/**
 * Starts the main process, or with `workerConfig` a worker (synapse.app.generic_worker) reading
 * the shared homeserver.yaml plus its own file (Synapse's worker set-up, synapse-workers.ts);
 * a worker's `paths` name its own log and pid files.
 */
export async function launchSynapse(paths: SynapsePaths, baseUrl: string, workerConfig?: string): Promise<SynapseProcess> {
  await claimPidFile(paths);
  await assertPortFree(Number(new URL(baseUrl).port));
  const logFd = openSync(paths.log, "a");
  const args = workerConfig
    ? ["-m", "synapse.app.generic_worker", "-c", paths.config, "-c", workerConfig]
    : ["-m", "synapse.app.homeserver", "-c", paths.config];
  const child = spawn(SYNAPSE_PYTHON, args, {
    cwd: paths.dataDir,
    stdio: ["ignore", logFd, logFd],
    // synapse-config/ holds our Synapse modules (cpts_policy), loaded when the config names them.
    env: { ...process.env, PYTHONUNBUFFERED: "1", PYTHONPATH: [SYNAPSE_MODULES_DIR, process.env["PYTHONPATH"]].filter(Boolean).join(":") },
  });
  closeSync(logFd);
  const exited = new Promise<SynapseExit>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  spawnError.catch(() => {}); // observed through the races below
  const pid = child.pid;
  if (pid === undefined) {
    await spawnError;
    throw new Error("unreachable: spawn returned no pid");
  }
  await writeFile(paths.pidFile, `${pid}\n`);
  // Do not leave an orphan Synapse holding the port if this Node process ends abruptly.
  const killOnExit = (): void => void child.kill("SIGTERM");
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const grace = new AbortController();
        const timedOut = await Promise.race([
          exited.then(() => false),
          sleep(STOP_GRACE_MS, true, { signal: grace.signal }).catch(() => false),
        ]);
        grace.abort();
        if (timedOut) {
          child.kill("SIGKILL");
          await exited;
        }
      }
      await rm(paths.pidFile, { force: true });
    })();
    return stopping;
  };

  try {
    await Promise.race([waitForHealth(baseUrl, exited, paths.log), spawnError]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid, exited, stop };
}
