// The local stand-in for the production reverse proxy of the worker set-up: one base URL for
// clients and bots, each request passed to the Synapse process the routing table names
// (synapse-routes.ts, the same table as client/Caddyfile.workers). Plain HTTP on 127.0.0.1.
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MAIN_PROCESS, routeFor, type RouteGroup } from "./synapse-routes.ts";

export interface SynapseRouter {
  baseUrl: string;
  /** Requests passed to each process since start, e.g. { main: 12, "synapse-sync": 40 }. */
  counts(): Record<string, number>;
  stop(): Promise<void>;
}

/** `upstreams`: process name (MAIN_PROCESS or a worker of the table) → its base URL. */
export async function startSynapseRouter(groups: readonly RouteGroup[], upstreams: Readonly<Record<string, string>>, port = 0): Promise<SynapseRouter> {
  if (!upstreams[MAIN_PROCESS]) throw new Error("the router needs the main process's URL");
  const present = new Set(Object.keys(upstreams));
  const counts: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const target = routeFor(groups, req.method ?? "GET", path, present);
    counts[target] = (counts[target] ?? 0) + 1;
    const upstream = new URL(upstreams[target]!);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: req.headers.host ?? upstream.host },
      },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ errcode: "M_UNKNOWN", error: `router: ${target} unreachable (${err.message})` }));
    });
    // A client gone (e.g. an aborted long-poll /sync) ends the upstream request too.
    res.on("close", () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    counts: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
