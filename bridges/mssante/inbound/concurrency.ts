/** At most `limit` holders at a time; waiters are served in the order they asked. */
export class Semaphore {
  private readonly limit: number;
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a semaphore needs a positive limit, not ${limit}`);
    this.limit = limit;
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.held < this.limit) this.held++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held--;
    };
  }

  /** Runs `task` in a slot. */
  async use<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/**
 * Steps queued on one lane run one after the other, in the order they were queued; lanes run
 * side by side. Fail-stop: once a step of a lane fails, the steps queued behind it on that
 * lane are refused with the same error instead of running (a later mail must not overtake
 * one that could not be posted); the lane starts afresh once it has drained.
 */
export class OrderedLanes {
  private readonly lanes = new Map<string, { tail: Promise<void>; queued: number; failure: { error: unknown } | undefined }>();

  run<T>(lane: string, step: () => Promise<T>): Promise<T> {
    let state = this.lanes.get(lane);
    if (!state) {
      state = { tail: Promise.resolve(), queued: 0, failure: undefined };
      this.lanes.set(lane, state);
    }
    const current = state;
    current.queued++;
    const result = current.tail.then(async () => {
      if (current.failure) throw current.failure.error;
      try {
        return await step();
      } catch (error) {
        current.failure ??= { error };
        throw error;
      }
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    current.tail = settled.then(() => {
      current.queued--;
      if (current.queued === 0 && this.lanes.get(lane) === current) this.lanes.delete(lane);
    });
    return result;
  }
}
