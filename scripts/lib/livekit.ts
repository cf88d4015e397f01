// Runs the LiveKit SFU (built by scripts/install-livekit.sh) as a local child process, for
// `npm start` and the call tests: loopback only, one UDP and one TCP port for media, rooms
// opened only by the authorisation service (auto_create off).
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { REPO_ROOT } from "./synapse-install.ts";

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/** The pinned version, read from the install script so the two never disagree. */
async function pinnedVersion(): Promise<string> {
  const script = await readFile(join(REPO_ROOT, "scripts", "install-livekit.sh"), "utf8");
  const match = /^LIVEKIT_VERSION="(v[\d.]+)"$/m.exec(script);
  if (!match) throw new Error("scripts/install-livekit.sh: LIVEKIT_VERSION not found");
  return match[1]!;
}

/** Where scripts/install-livekit.sh puts the binary. */
export async function liveKitBinary(): Promise<string> {
  const cache = process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(cache, "cpts-messagerie", `livekit-${await pinnedVersion()}`, "livekit-server");
}

export interface LiveKitSettings {
  readonly dataDir: string;
  /** Signalling and server API (HTTP and WebSocket). */
  readonly port: number;
  /** Media over ICE/TCP, and over UDP on the same number. */
  readonly rtcPort: number;
  /** LiveKit's key file (`key: secret`, secret of 32 characters or more, mode 0600), shared with the authorisation service. */
  readonly keyFile: string;
}

export interface RunningLiveKit {
  readonly url: string;
  readonly apiUrl: string;
  readonly pid: number;
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

export async function startLiveKit(settings: LiveKitSettings): Promise<RunningLiveKit> {
  const binary = await liveKitBinary();
  if (!existsSync(binary)) throw new Error(`LiveKit is not built: run bash scripts/install-livekit.sh (expected ${binary})`);
  await mkdir(settings.dataDir, { recursive: true, mode: 0o700 });
  const configFile = join(settings.dataDir, "livekit.yaml");
  const config = {
    port: settings.port,
    bind_addresses: ["127.0.0.1"],
    rtc: {
      tcp_port: settings.rtcPort,
      udp_port: settings.rtcPort,
      node_ip: "127.0.0.1",
      use_external_ip: false,
      enable_loopback_candidate: true,
    },
    room: { auto_create: false },
    key_file: settings.keyFile,
    logging: { level: "warn" },
  };
  await writeFile(configFile, stringify(config), { mode: 0o600 });
  const log = openSync(join(settings.dataDir, "livekit.log"), "a");
  const child = spawn(binary, ["--config", configFile], { stdio: ["ignore", log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const apiUrl = `http://127.0.0.1:${settings.port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`LiveKit exited at start (code ${child.exitCode}); see ${join(settings.dataDir, "livekit.log")}`);
    const ok = await fetch(apiUrl, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`LiveKit did not answer on ${apiUrl} within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await sleep(200);
  }
  return {
    url: `ws://127.0.0.1:${settings.port}`,
    apiUrl,
    pid: child.pid!,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}
