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
