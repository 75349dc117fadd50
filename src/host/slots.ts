/** A counting semaphore: at most `size` holders at once, waiters served in order. */
export class Slots {
  #free: number
  readonly #waiters: (() => void)[] = []

  constructor(readonly size: number) {
    this.#free = size
  }

  /** Holders now. */
  get inUse(): number {
    return this.size - this.#free
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length
  }

  /** Waits for a slot; resolves to its release function (idempotent). */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--
    else await new Promise<void>((resolve) => this.#waiters.push(resolve))
    let held = true
    return () => {
      if (!held) return
      held = false
      const next = this.#waiters.shift()
      // The slot passes straight to the next waiter, so the free count stays the same.
      if (next) next()
      else this.#free++
    }
  }
}
