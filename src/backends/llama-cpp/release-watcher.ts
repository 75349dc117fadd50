/**
 * Watches the text written under an engaged span for the pattern that releases it (`ConstrainedSpan.releaseWhen`):
 * an "answer or call" grammar has done its work once the first characters have chosen the answer, and the rest of
 * the answer is generated without it.
 */
export class ReleaseWatcher {
  private text = ''
  private done = false

  constructor(private readonly pattern: RegExp | undefined) {}

  /** True once the pattern has matched. */
  get released(): boolean {
    return this.done
  }

  /**
   * Feeds text generated while the grammar holds; true when the span's text now matches (drop the grammar before the
   * next token). Without a pattern it never releases.
   */
  push(text: string): boolean {
    if (this.done || this.pattern === undefined) return this.done
    this.text += text
    // `search` ignores a `g` or `y` flag's lastIndex: the pattern is tested against the whole span text every time.
    this.done = this.text.search(this.pattern) !== -1
    return this.done
  }
}
