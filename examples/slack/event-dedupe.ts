/**
 * Remembers Events API `event_id`s so a retried delivery (Slack retries when the first was not acknowledged in
 * 3 s, marking it with `X-Slack-Retry-Num`) runs once. Entries live at least `ttlMs` (Slack retries for about
 * five minutes; the default keeps them 15) and at most `maxEntries` are kept.
 */
export class EventDedupe {
  readonly #seen = new Map<string, number>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #now: () => number

  /**
   * @param options.ttlMs How long an id is remembered. Defaults to 15 minutes.
   * @param options.maxEntries Ids kept at most (oldest dropped first). Defaults to 100,000.
   */
  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 15 * 60_000
    this.#maxEntries = options.maxEntries ?? 100_000
    this.#now = options.now ?? Date.now
  }

  /** Records `id`; returns `true` when it was already seen (a duplicate to drop). */
  check(id: string): boolean {
    const now = this.#now()
    this.#expire(now)
    if (this.#seen.has(id)) return true
    this.#seen.set(id, now)
    if (this.#seen.size > this.#maxEntries) {
      const oldest = this.#seen.keys().next().value
      if (oldest !== undefined) this.#seen.delete(oldest)
    }
    return false
  }

  /** Forgets `id` (its processing could not even be started, so a retry should run). */
  forget(id: string): void {
    this.#seen.delete(id)
  }

  #expire(now: number): void {
    // Insertion order is arrival order, so expired ids are at the front.
    for (const [id, at] of this.#seen) {
      if (now - at < this.#ttlMs) break
      this.#seen.delete(id)
    }
  }
}
