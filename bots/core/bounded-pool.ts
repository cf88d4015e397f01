/**
 * Runs `work` for every item, at most `limit` at a time, each started as soon as a slot
 * frees. Every item is tried even when some fail; the outcomes come back in the items'
 * order, so the caller decides what a failure means.
 */
export async function settleEachBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`a pool needs at least one slot (got ${limit})`);
  const outcomes: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const slot = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        outcomes[index] = { status: "fulfilled", value: await work(items[index]!) };
      } catch (reason) {
        outcomes[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, slot));
  return outcomes;
}
