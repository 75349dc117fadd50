/**
 * One queue per key: `lock(key)` resolves once every earlier holder of the same key released, so the turns of a
 * session run one at a time in arrival order. Keys with nothing queued take no memory.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>()

  /** Holders and waiters of `key`, none when it is idle. */
  busy(key: string): boolean {
    return this.#tails.has(key)
  }

  /** Waits for `key`; resolves to the release function (idempotent). */
  async lock(key: string): Promise<() => void> {
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const tail = previous.then(() => held)
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    await previous
    let released = false
    return () => {
      if (released) return
      released = true
      release()
    }
  }
}
