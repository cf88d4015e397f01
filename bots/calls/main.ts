// The MatrixRTC authorisation service (what Element's lk-jwt-service does), as a process:
// `node bots/calls/main.ts`, settings from the environment (rtc-auth-options.ts).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "../core/logger.ts";
import { rtcAuthApp } from "./rtc-auth-http.ts";
import { rtcAuthOptionsFromEnv, type RtcAuthOptions } from "./rtc-auth-options.ts";
import { productionPorts } from "./rtc-auth-ports.ts";

export interface RunningRtcAuth {
  readonly port: number;
  close(): Promise<void>;
}

export async function startRtcAuth(options: RtcAuthOptions, logger = createLogger("rtc-auth")): Promise<RunningRtcAuth> {
  const app = rtcAuthApp({ serverName: options.serverName, liveKitUrl: options.liveKitUrl }, productionPorts(options), logger);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, options.host, () => resolve(listening));
    listening.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, serverName: options.serverName, liveKitUrl: options.liveKitUrl }, "MatrixRTC authorisation service listening");
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (import.meta.main) {
  const logger = createLogger("rtc-auth");
  try {
    const running = await startRtcAuth(rtcAuthOptionsFromEnv(process.env), logger);
    const stop = (): void => void running.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (err) {
    logger.error({ err: (err as Error).message }, "the MatrixRTC authorisation service could not start");
    process.exit(1);
  }
}
