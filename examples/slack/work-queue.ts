/**
 * Runs jobs strictly in order per key (a Slack thread) and at most `concurrency` at once across keys. A job may
 * release its global slot early (`release`) once the scarce work (the model) is done, so slow Slack calls after a
 * turn do not hold back other threads; the next job of the same key still waits for the whole job.
 */

/** What a job receives. */
export interface JobContext {
  /** Gives the concurrency slot back early. Idempotent. */
  release(): void
}

export class ThreadWorkQueue {
  readonly #concurrency: number
  readonly #tails = new Map<string, Promise<void>>()
  readonly #waiting: (() => void)[] = []
  readonly #pending = new Set<Promise<void>>()
  #active = 0

  /** @param concurrency Jobs running at once across all keys. Defaults to `4`. */
  constructor(concurrency = 4) {
    this.#concurrency = Math.max(1, Math.floor(concurrency))
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.#pending.size
  }

  /** Queues `job` behind earlier jobs of `key`. Errors of a job are the job's business: they are swallowed here. */
  push(key: string, job: (ctx: JobContext) => Promise<void>): Promise<void> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const run = previous.then(async () => {
      await this.#acquire()
      let held = true
      const release = (): void => {
        if (!held) return
        held = false
        this.#release()
      }
      try {
        await job({ release })
      } catch {
        // A job reports its own failures; the queue must keep going.
      } finally {
        release()
      }
    })
    this.#tails.set(key, run)
    this.#pending.add(run)
    void run.finally(() => {
      this.#pending.delete(run)
      if (this.#tails.get(key) === run) this.#tails.delete(key)
    })
    return run
  }

  /** Resolves when every job queued so far has finished. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }

  async #acquire(): Promise<void> {
    if (this.#active < this.#concurrency) {
      this.#active++
      return
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve))
  }

  #release(): void {
    const next = this.#waiting.shift()
    // The slot passes straight to the next waiter, so `#active` stays the same.
    if (next) next()
    else this.#active--
  }
}
