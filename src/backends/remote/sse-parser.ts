/**
 * Incremental server-sent-events parser for completion streams. Stricter than the HTML spec on purpose: a
 * completions stream only carries `data:`, `event:`, `id:`, `retry:` and `:` comments, and silently skipping any
 * other line (as browsers do) would silently lose generated text. Such a line is a malformed stream.
 */
import { RemoteHttpError } from './remote-errors.js'

/** One dispatched event. */
export interface SseEvent {
  /** `event:` field, `message` when absent. */
  readonly event: string
  /** The `data:` lines joined by `\n`. */
  readonly data: string
}

/** Field names a completions stream may use. */
const KNOWN_FIELDS: ReadonlySet<string> = new Set(['data', 'event', 'id', 'retry'])

/** Longest line accepted; a server that never sends a newline must not grow memory without bound. */
const MAX_LINE_CHARS = 1 << 20

/** Feeds decoded text in, gets complete events out. */
export class SseParser {
  readonly #server: string
  #partial = ''
  #data: string[] = []
  #event = ''
  /** The previous chunk ended in `\r`: a `\n` starting the next one belongs to the same line break. */
  #afterCr = false

  /** @param server Name used in error messages. */
  constructor(server = 'server') {
    this.#server = server
  }

  /** Parses a chunk of text; returns the events it completed. Throws a `malformed-stream` error on a bad line. */
  push(text: string): SseEvent[] {
    let input = text
    if (this.#afterCr && input.startsWith('\n')) input = input.slice(1)
    this.#afterCr = false
    const events: SseEvent[] = []
    let start = 0
    for (let index = 0; index < input.length; index++) {
      const char = input[index]
      if (char !== '\n' && char !== '\r') continue
      this.#line(this.#partial + input.slice(start, index), events)
      this.#partial = ''
      if (char === '\r') {
        if (index + 1 === input.length) this.#afterCr = true
        else if (input[index + 1] === '\n') index++
      }
      start = index + 1
    }
    this.#partial += input.slice(start)
    if (this.#partial.length > MAX_LINE_CHARS) throw this.#malformed('a line longer than 1 MiB')
    return events
  }

  /** End of input: an event whose blank line never came is still dispatched (some servers omit the last one). */
  end(): SseEvent[] {
    const events: SseEvent[] = []
    if (this.#partial.length > 0) this.#line(this.#partial, events)
    this.#partial = ''
    this.#dispatch(events)
    return events
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(events)
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    if (!KNOWN_FIELDS.has(field)) throw this.#malformed(`unexpected line ${JSON.stringify(line.slice(0, 80))}`)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.#data.push(value)
    else if (field === 'event') this.#event = value
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#data.length > 0) events.push({ event: this.#event || 'message', data: this.#data.join('\n') })
    this.#data = []
    this.#event = ''
  }

  #malformed(what: string): RemoteHttpError {
    return new RemoteHttpError('malformed-stream', 0, `${this.#server} sent a malformed event stream: ${what}`)
  }
}
