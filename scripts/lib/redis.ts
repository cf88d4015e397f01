// A private Redis (Debian's redis-server) for the Synapse worker set-up in tests and
// benchmarks: the replication bus between Synapse's processes. Foreground, 127.0.0.1 on a
// free port, nothing written to disk.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { findFreePort } from "./free-port.ts";

const REDIS_SERVER = "/usr/bin/redis-server";
const READY_TIMEOUT_MS = 20_000;

export interface LocalRedis {
  host: "127.0.0.1";
  port: number;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(1_000);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<LocalRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run scripts/install-redis-postgres.sh as root`);
  const port = await findFreePort();
  const child = spawn(REDIS_SERVER, ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = (): void => void child.kill("SIGTERM");
  process.once("exit", killOnExit);
  const stop = async (): Promise<void> => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on 127.0.0.1:${port}`);
    }
    await sleep(50);
  }
  return { host: "127.0.0.1", port, stop };
}
