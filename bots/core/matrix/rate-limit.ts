const MAX_ATTEMPTS = 6;
const DEFAULT_WAIT_MS = 1_000;

/**
 * Runs a homeserver call, waiting as the homeserver asks when it answers "too many
 * requests" (M_LIMIT_EXCEEDED with retry_after_ms): bots invite many people at once.
 */
export async function retryRateLimited<T>(call: () => Promise<T>, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const error = err as { errcode?: string; data?: { retry_after_ms?: number }; httpStatus?: number };
      const limited = error.errcode === "M_LIMIT_EXCEEDED" || error.httpStatus === 429;
      if (!limited || attempt >= MAX_ATTEMPTS) throw err;
      await sleep(Math.min(error.data?.retry_after_ms ?? DEFAULT_WAIT_MS * attempt, 60_000));
    }
  }
}
