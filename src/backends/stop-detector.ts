/**
 * Finds stop markers in streamed text, by text (never by token id), and holds back a tail that could still grow
 * into a marker so that no partial marker (`<`, `<e`, `<eo`) ever reaches the caller. Pure: no I/O, no timers.
 * Shared by every backend: the local one feeds it decoded tokens, the remote ones feed it streamed deltas.
 */

import { earliestMarker, partialMarkerLength } from '../util/partial-marker.js'

/** What one {@link StopDetector.push} call releases. */
export interface StopScan {
  /** Text that is safe to show: no part of it can begin a stop marker. */
  readonly text: string
  /** The marker that completed in this chunk, if any. */
  readonly stop?: string
  /**
   * Set together with `stop`: text after the marker in the same chunk (a token or delta that ran past it). Never
   * shown; a local backend uses it to know whether the marker ended on a token boundary. Empty when nothing ran past.
   */
  readonly overflow?: string
}

/** Incremental stop-marker detector with partial-marker holdback. Once a marker is found, further input is ignored. */
export class StopDetector {
  readonly #stops: readonly string[]
  #held = ''
  #stopped: string | undefined

  /** @param stops Markers that end the stream; empty strings and duplicates are ignored. */
  constructor(stops: readonly string[]) {
    this.#stops = [...new Set(stops.filter((stop) => stop.length > 0))]
  }

  /** The marker that ended the stream, once one has been found; `undefined` before. */
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
      return { text: buffer.slice(0, found.index), stop: found.stop, overflow: buffer.slice(found.index + found.stop.length) }
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

  /** Earliest complete marker; at the same index the longer marker wins, being the more specific one. */
  #earliestStop(buffer: string): { index: number; stop: string } | undefined {
    const found = earliestMarker(buffer, this.#stops)
    return found && { index: found.index, stop: found.marker }
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some marker. */
  #partialTailLength(buffer: string): number {
    return partialMarkerLength(buffer, this.#stops)
  }
}
