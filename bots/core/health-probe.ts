// `node bots/main.ts --health`: the container's health check. Every configured bot answers
// on its own http.port: one hung bot (a stuck sync loop) makes the container unhealthy, and
// the output names it.
import type { BotsConfig } from "./config.ts";

const TIMEOUT_MS = 4_000;

/** The bots whose /healthz did not answer 200, with what went wrong; empty when all are healthy. */
export async function unhealthyBots(config: BotsConfig, fetchFn: typeof fetch = fetch): Promise<string[]> {
  const checks = Object.entries(config.bots).map(async ([botId, bot]) => {
    const host = bot.http.host === "0.0.0.0" || bot.http.host === "::" ? "127.0.0.1" : bot.http.host;
    try {
      const response = await fetchFn(`http://${host.includes(":") ? `[${host}]` : host}:${bot.http.port}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      return response.ok ? undefined : `${botId}: /healthz answered ${response.status}`;
    } catch (err) {
      return `${botId}: /healthz did not answer (${(err as Error).message})`;
    }
  });
  return (await Promise.all(checks)).filter((problem): problem is string => problem !== undefined);
}
