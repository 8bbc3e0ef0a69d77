// Work on many items with a bound on how many are under way at once.

/** Runs `work` on each item, at most `limit` at once, starting them in order; resolves when all are done. A rejection rejects the whole. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane))
}
