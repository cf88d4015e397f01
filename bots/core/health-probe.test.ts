import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotsConfig } from "./config.ts";
import { unhealthyBots } from "./health-probe.ts";

function server(status: number): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer((_req, res) => res.writeHead(status).end());
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

describe("unhealthyBots", () => {
  const servers: Server[] = [];
  let config: BotsConfig;
  beforeAll(async () => {
    servers.push(await server(200), await server(503));
    const bot = (port: number) => ({ userId: "@b:cpts.fr", passwordFile: "p", storageSecretFile: "s", recoveryKeyFile: "r", displayName: "B", http: { host: "0.0.0.0", port } });
    const [ok, hung] = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
    config = {
      homeserverUrl: "http://synapse:8008",
      dataDir: "/data",
      configDir: "/config",
      defaultLanguage: "fr",
      invites: { acceptFrom: "verified-members", allowedUsers: [], allowedServers: [] },
      cpts: { name: "CPTS", coordinators: [], territory: { name: "CPTS", communes: [] } as never, importGuard: { maxDeactivatedShare: 0.2 } },
      bots: { accueil: bot(ok), snp: bot(hung), equipes: bot(1) },
    };
  });
  afterAll(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

  it("names every bot whose /healthz does not answer 200, not only the first", async () => {
    const problems = await unhealthyBots(config);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe("snp: /healthz answered 503");
    expect(problems[1]).toMatch(/^equipes: \/healthz did not answer/);
  });
});
