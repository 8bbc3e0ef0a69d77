// Group commit: independent requests that each need a short write transaction are written together, a
// batch in one transaction, when they arrive faster than transactions finish. With nothing in progress a
// request is written at once, alone, so a quiet system adds no wait; under load the requests that
// arrived while the writers were busy go in the next batch, and the fixed cost of a transaction (its
// round trips, its locks, its commit) is paid once for many.

export interface GroupCommitOptions<T> {
  /** transactions at once (each holds a database connection) */
  writers: number
  /** the most requests in one batch */
  batch: number
  /** requests with the same key are never in the same batch, nor in two batches at once: a retry or an amendment of a request is written after it, in the order they came */
  key: (item: T) => string
}

interface Waiting<T, R> { item: T, key: string, resolve: (result: R) => void, reject: (error: unknown) => void }

export class GroupCommit<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>
  readonly #options: GroupCommitOptions<T>
  #queue: Array<Waiting<T, R>> = []
  #writing = 0
  #scheduled = false
  /** keys of the requests in batches being written */
  readonly #busy = new Set<string>()

  /** `write` stores the items in one transaction, all or none, and answers each one's result in order. */
  constructor(write: (items: T[]) => Promise<R[]>, options: GroupCommitOptions<T>) {
    if (options.writers < 1 || options.batch < 1) throw new Error('A group commit needs at least one writer and a batch of at least one')
    this.#write = write
    this.#options = options
  }

  /** Requests waiting for a writer (for tests and figures). */
  get waiting(): number {
    return this.#queue.length
  }

  /** Resolves with the item's result once its batch has committed; rejects with its own error. */
  async submit(item: T): Promise<R> {
    return await new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, key: this.#options.key(item), resolve, reject })
      this.#drain()
    })
  }

  /**
   * Starts a batch for each free writer, after one turn of the event loop: requests whose bytes have
   * already arrived are read and checked first and join it, rather than each starting a transaction of
   * its own.
   */
  #drain(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#start()
    })
  }

  #start(): void {
    while (this.#writing < this.#options.writers && this.#queue.length > 0) {
      const batch: Array<Waiting<T, R>> = []
      const keys = new Set<string>()
      const rest: Array<Waiting<T, R>> = []
      for (const waiting of this.#queue) {
        // an earlier request with the same key, waiting or being written, goes first
        if (batch.length < this.#options.batch && !keys.has(waiting.key) && !this.#busy.has(waiting.key)) batch.push(waiting)
        else rest.push(waiting)
        keys.add(waiting.key)
      }
      // everything waiting is held back by an earlier request with its key: its batch's end drains again
      if (batch.length === 0) return
      this.#queue = rest
      this.#writing++
      for (const w of batch) this.#busy.add(w.key)
      void this.#run(batch).finally(() => {
        for (const w of batch) this.#busy.delete(w.key)
        this.#writing--
        this.#drain()
      })
    }
  }

  async #run(batch: Array<Waiting<T, R>>): Promise<void> {
    let results: R[]
    try {
      results = await this.#write(batch.map((w) => w.item))
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error)
        return
      }
      // The batch was rolled back as a whole: one request's problem must not fail the others, so each is
      // written again alone and gets its own result or its own error.
      for (const w of batch) {
        try {
          const [result] = await this.#write([w.item])
          w.resolve(result!)
        } catch (alone) {
          w.reject(alone)
        }
      }
      return
    }
    // a write that does not answer one result an item is a fault in it: no result can be trusted to be whose
    const fault = results.length === batch.length ? undefined : new Error(`A group commit's write answered ${results.length} results for ${batch.length} items`)
    for (const [i, w] of batch.entries()) {
      if (fault) w.reject(fault)
      else w.resolve(results[i]!)
    }
  }
}
