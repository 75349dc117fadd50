/**
 * Serialises the turns (and saves, resets) of one session: each `acquire` resolves once every earlier holder
 * released. FIFO, no timeout: a second `send` simply waits for the first.
 */
export class TurnLock {
  private tail: Promise<void> = Promise.resolve()

  /** Waits for the lock; resolves to the release function (idempotent). */
  async acquire(): Promise<() => void> {
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const previous = this.tail
    this.tail = previous.then(() => held)
    await previous
    let released = false
    return () => {
      if (released) return
      released = true
      release()
    }
  }
}
