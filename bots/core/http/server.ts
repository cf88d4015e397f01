import express, { type Router } from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface HealthSource {
  /** Ready once the first sync has completed and syncing has not failed since. */
  health(): { readonly ready: boolean; readonly state: string; readonly deviceCrossSigned?: boolean };
}

export interface RunningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** `routes`: the bot's own endpoints, beside /healthz and /metrics (each route authenticates its callers). */
export async function startHttpServer(host: string, port: number, health: HealthSource, registry: Registry, routes?: Router): Promise<RunningHttpServer> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    const status = health.health();
    res.status(status.ready ? 200 : 503).json(status);
  });
  app.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  if (routes) app.use(routes);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, () => resolve(listening));
    listening.once("error", reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
