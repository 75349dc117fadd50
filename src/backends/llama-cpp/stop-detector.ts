/** What feeding one chunk of generated text produced. */
export interface StopScan {
  /** Text that can be shown now (no part of it can begin a stop marker). */
  readonly emit: string
  /** The marker that ended the generation, if any. */
  readonly stop?: string
  /** Text after the marker in the same chunk (a token that ran past the marker); not shown. */
  readonly overflow?: string
}

/**
 * Finds stop markers in streamed text. A suffix that could be the start of a marker is held back until the next
 * chunk resolves it, so a marker spread over several tokens is never shown in part.
 */
export class StopDetector {
  private held = ''
  private readonly longest: number

  constructor(private readonly markers: readonly string[]) {
    this.longest = markers.reduce((max, m) => Math.max(max, m.length), 0)
  }

  /** Feeds the next decoded chunk. */
  push(chunk: string): StopScan {
    const text = this.held + chunk
    let first: { index: number; marker: string } | undefined
    for (const marker of this.markers) {
      if (marker.length === 0) continue
      const index = text.indexOf(marker)
      // Earliest marker wins; at the same index the longer marker is the more specific one.
      if (index >= 0 && (first === undefined || index < first.index || (index === first.index && marker.length > first.marker.length))) {
        first = { index, marker }
      }
    }
    if (first !== undefined) {
      this.held = ''
      return { emit: text.slice(0, first.index), stop: first.marker, overflow: text.slice(first.index + first.marker.length) }
    }
    const keep = this.partialSuffixLength(text)
    this.held = text.slice(text.length - keep)
    return { emit: text.slice(0, text.length - keep) }
  }

  /** Releases held-back text when the generation ends without a marker. */
  flush(): string {
    const rest = this.held
    this.held = ''
    return rest
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some marker. */
  private partialSuffixLength(text: string): number {
    for (let length = Math.min(this.longest - 1, text.length); length > 0; length--) {
      const suffix = text.slice(text.length - length)
      if (this.markers.some((m) => m.startsWith(suffix))) return length
    }
    return 0
  }
}
