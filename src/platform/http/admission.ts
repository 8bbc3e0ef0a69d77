// Admission control for a busy route: a few requests at work at once, a bounded queue behind them, and
// a plain refusal beyond it (the caller answers 503 with Retry-After) rather than unbounded latency and memory.

/** A counting semaphore with a bounded queue: at most `limit` at work, at most `queue` waiting, the rest turned away. */
export class Admission {
  #running = 0
  readonly #waiting: Array<() => void> = []
  readonly #limit: number
  readonly #queue: number

  constructor(limit: number, queue: number) {
    this.#limit = limit
    this.#queue = queue
  }

  /** Resolves with a release function once admitted; undefined at once when the queue is full. */
  async enter(): Promise<(() => void) | undefined> {
    if (this.#running >= this.#limit) {
      if (this.#waiting.length >= this.#queue) return undefined
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    } else {
      this.#running++
    }
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiting.shift()
      // the slot passes straight to the next in line
      if (next) next()
      else this.#running--
    }
  }
}
