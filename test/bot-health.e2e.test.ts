// /healthz is ready only once the bot has synced: a proxy in front of the real Synapse holds
// the bot's /sync requests until the test releases them.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { prepareBot, spawnBot, startBotProcess, type BotProcess } from "./helpers/bot-process.ts";
import { startHoldingProxy, type HoldingProxy } from "./helpers/holding-proxy.ts";

async function health(port: number): Promise<{ status: number; body: { ready: boolean; state: string } } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: res.status, body: (await res.json()) as { ready: boolean; state: string } };
  } catch {
    return undefined;
  }
}

describe("/healthz", () => {
  let bot: BotProcess | undefined;
  let proxy: HoldingProxy | undefined;

  afterAll(async () => {
    await bot?.stop();
    await proxy?.close();
  });

  it("answers 503 until the first sync has completed, then 200", async () => {
    const setup = await prepareBot();
    await (await startBotProcess(setup)).stop(); // the device exists; now only the sync is held

    proxy = await startHoldingProxy(new URL(inject("synapse").baseUrl), (req) => req.url?.startsWith("/_matrix/client/v3/sync") === true, { holding: true });
    const config = parseYaml(readFileSync(setup.configFile, "utf8")) as { homeserverUrl: string };
    config.homeserverUrl = proxy.url();
    writeFileSync(setup.configFile, toYaml(config));

    bot = spawnBot(setup);
    let first: Awaited<ReturnType<typeof health>>;
    while (!(first = await health(setup.httpPort))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1_000));
    const stillWaiting = await health(setup.httpPort);
    const metrics = await (await fetch(`http://127.0.0.1:${setup.httpPort}/metrics`)).text();

    expect(first.status).toBe(503);
    expect(first.body.ready).toBe(false);
    expect(stillWaiting?.status).toBe(503);
    expect(proxy.heldCount()).toBeGreaterThan(0);
    expect(metrics).toMatch(/^cpts_bot_sync_lag_seconds\{[^}]*\} -1$/m);

    proxy.release();
    const deadline = Date.now() + 30_000;
    let ready = await health(setup.httpPort);
    while (ready?.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await health(setup.httpPort);
    }
    expect(ready?.status).toBe(200);
    expect(ready?.body.ready).toBe(true);
  });
});
