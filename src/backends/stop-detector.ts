/**
 * Finds stop markers in streamed text, by text (never by token id), and holds back a tail that could still grow
 * into a marker so that no partial marker (`<`, `<e`, `<eo`) ever reaches the caller. Pure: no I/O, no timers.
 */

/** What one {@link StopDetector.push} call releases. */
export interface StopScan {
  /** Text that is safe to show: it cannot be part of a stop marker. */
  readonly text: string
  /** The marker that completed in this chunk, if any. Text after it is dropped. */
  readonly stop?: string
}

/** Incremental stop-marker detector with partial-marker holdback. */
export class StopDetector {
  readonly #stops: readonly string[]
  #held = ''
  #stopped: string | undefined

  /** @param stops Markers that end the stream; empty strings are ignored. */
  constructor(stops: readonly string[]) {
    this.#stops = [...new Set(stops.filter((stop) => stop.length > 0))]
  }

  /** The marker that ended the stream, once one has been found. */
  get stopped(): string | undefined {
    return this.#stopped
  }

  /** Text currently held back because it may be the start of a marker. */
  get held(): string {
    return this.#held
  }

  /** Feeds the next chunk. After a marker has been found, further input is ignored. */
  push(chunk: string): StopScan {
    if (this.#stopped !== undefined) return { text: '' }
    const buffer = this.#held + chunk
    const found = this.#earliestStop(buffer)
    if (found !== undefined) {
      this.#held = ''
      this.#stopped = found.stop
      return { text: buffer.slice(0, found.index), stop: found.stop }
    }
    const keep = this.#partialTailLength(buffer)
    this.#held = buffer.slice(buffer.length - keep)
    return { text: buffer.slice(0, buffer.length - keep) }
  }

  /** End of stream without a marker: the held-back tail was ordinary text after all. */
  flush(): string {
    const rest = this.#held
    this.#held = ''
    return rest
  }

  /** Earliest complete marker; on a tie the longest wins (`<eo` vs `<eom>` cannot both start at one index and end). */
  #earliestStop(buffer: string): { index: number; stop: string } | undefined {
    let best: { index: number; stop: string } | undefined
    for (const stop of this.#stops) {
      const index = buffer.indexOf(stop)
      if (index < 0) continue
      if (best === undefined || index < best.index || (index === best.index && stop.length > best.stop.length)) {
        best = { index, stop }
      }
    }
    return best
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some marker. */
  #partialTailLength(buffer: string): number {
    let longest = 0
    for (const stop of this.#stops) {
      const max = Math.min(stop.length - 1, buffer.length)
      for (let length = max; length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length
          break
        }
      }
    }
    return longest
  }
}
