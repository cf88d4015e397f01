// The call stack of `npm start`: the LiveKit SFU and the MatrixRTC authorisation service
// (bots/calls/main.ts, supervised like the bots), both on loopback.
import type { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../bots/core/logger.ts";
import { Supervisor } from "../../bots/core/supervisor.ts";
import { assertPortFree } from "./free-port.ts";
import { liveKitBinary, startLiveKit } from "./livekit.ts";
import { REPO_ROOT } from "./synapse-install.ts";

const LIVEKIT_KEY = "cpts-local";

export interface CallStackSettings {
  readonly dataDir: string;
  readonly serverName: string;
  readonly homeserverUrl: string;
  readonly liveKitPort: number;
  readonly rtcAuthPort: number;
  readonly directoryUrl: string;
  readonly directoryTokenFile: string;
  readonly witnessUrls: readonly string[];
  readonly witnessTokenFile: string;
  /** Where the authorisation service's JSON log lines go; unset: this process's terminal. */
  readonly output?: Writable;
}

export interface RunningCallStack {
  readonly liveKitUrl: string;
  stop(): Promise<void>;
}

export const rtcAuthUrlOf = (port: number): string => `http://127.0.0.1:${port}`;

/** Whether scripts/install-livekit.sh has built the SFU (it needs Go). */
export async function callStackAvailable(): Promise<boolean> {
  return existsSync(await liveKitBinary());
}

export async function startCallStack(settings: CallStackSettings, logger: Logger): Promise<RunningCallStack> {
  for (const port of [settings.liveKitPort, settings.liveKitPort + 1, settings.rtcAuthPort]) {
    await assertPortFree(port).catch((err: Error) => {
      throw new Error(`${err.message}. Choose other ports for calls: CPTS_LIVEKIT_PORT=17880 CPTS_RTC_AUTH_PORT=18090 npm start`);
    });
  }
  const secretsDir = join(settings.dataDir, "secrets");
  const keyFile = join(secretsDir, "livekit.keys");
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  if (!existsSync(keyFile)) writeFileSync(keyFile, `${LIVEKIT_KEY}: ${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  const liveKit = await startLiveKit({
    dataDir: join(settings.dataDir, "livekit"),
    port: settings.liveKitPort,
    rtcPort: settings.liveKitPort + 1,
    keyFile,
  });
  const rtcAuth = new Supervisor(
    {
      name: "rtc-auth",
      command: process.execPath,
      args: [join(REPO_ROOT, "bots", "calls", "main.ts")],
      env: {
        ...process.env,
        RTC_AUTH_PORT: String(settings.rtcAuthPort),
        RTC_AUTH_SERVER_NAME: settings.serverName,
        RTC_AUTH_HOMESERVER_URL: settings.homeserverUrl,
        LIVEKIT_URL: liveKit.url,
        LIVEKIT_API_URL: liveKit.apiUrl,
        LIVEKIT_KEY_FILE: keyFile,
        RTC_AUTH_DIRECTORY_URL: settings.directoryUrl,
        RTC_AUTH_DIRECTORY_TOKEN_FILE: settings.directoryTokenFile,
        RTC_AUTH_WITNESS_URLS: settings.witnessUrls.join(","),
        RTC_AUTH_WITNESS_TOKEN_FILE: settings.witnessTokenFile,
      },
      ...(settings.output ? { output: settings.output } : {}),
    },
    logger,
  );
  rtcAuth.start();
  return {
    liveKitUrl: liveKit.url,
    stop: async () => {
      await rtcAuth.stop();
      await liveKit.stop();
    },
  };
}
