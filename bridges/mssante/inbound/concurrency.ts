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
 * side by side. Fail-stop: once a step of a lane fails, the later steps of that lane are
 * refused with the same error instead of running (a later mail must not overtake one that
 * could not be posted), until `forgetFailures` (when nothing is in flight any more).
 */
export class OrderedLanes {
  private readonly tails = new Map<string, { tail: Promise<void>; queued: number }>();
  private readonly failures = new Map<string, { error: unknown }>();

  run<T>(lane: string, step: () => Promise<T>): Promise<T> {
    let state = this.tails.get(lane);
    if (!state) {
      state = { tail: Promise.resolve(), queued: 0 };
      this.tails.set(lane, state);
    }
    const current = state;
    current.queued++;
    const result = current.tail.then(async () => {
      const failure = this.failures.get(lane);
      if (failure) throw failure.error;
      try {
        return await step();
      } catch (error) {
        if (!this.failures.has(lane)) this.failures.set(lane, { error });
        throw error;
      }
    });
    current.tail = result.then(ignore, ignore).then(() => {
      current.queued--;
      if (current.queued === 0 && this.tails.get(lane) === current) this.tails.delete(lane);
    });
    return result;
  }

  forgetFailures(): void {
    this.failures.clear();
  }
}

function ignore(): void {}
