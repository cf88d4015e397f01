/** Resolves once every bot's /healthz answers 200 (first sync done), or rejects after `timeoutMs`. */
export async function waitForBotsReady(ports: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ports);
  while (pending.size > 0) {
    for (const port of [...pending]) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) pending.delete(port);
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new Error(`bots not ready after ${timeoutMs / 1000} s (HTTP ports ${[...pending].join(", ")}); see the log above`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
