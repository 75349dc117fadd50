/**
 * Decodes a streamed completion body (bytes of server-sent events) into chunks: SSE framing (eventsource-parser),
 * `[DONE]`, JSON, and the OpenAI/TGI event shapes. Shared by the undici client and the Hugging Face client's stream
 * validator.
 *
 * Stricter than a browser on purpose: a completions stream only carries `data:`, `event:`, `id:`, `retry:` and `:`
 * comments, and silently skipping any other line would silently lose generated text, so such a line is a malformed
 * stream; so is a line or event that outgrows {@link MAX_BUFFER_CHARS} (a server that never sends a newline must not
 * grow memory without bound).
 */
import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'
import type { CompletionChunk } from './completion-chunk.js'
import { decodeCompletionEvent, parseEventJson } from './completion-chunk.js'
import { RemoteHttpError } from './remote-errors.js'

/** The data line that ends an OpenAI-style stream. */
export const DONE_SENTINEL = '[DONE]'

/** Most characters of one pending line or event. */
export const MAX_BUFFER_CHARS = 1 << 20

/** Incremental decoder of one completion stream. */
export class CompletionStreamDecoder {
  readonly #server: string
  readonly #sse: EventSourceParser
  readonly #text = new TextDecoder()
  /** Data of the events the last feed completed. */
  #events: string[] = []
  #error: ParseError | undefined
  #done = false
  #finished = false

  constructor(server: string) {
    this.#server = server
    this.#sse = createParser({
      onEvent: (event) => this.#events.push(event.data),
      // `retry:` values are a browser's reconnection hint: a bad one is harmless here.
      onError: (error) => {
        if (error.type !== 'invalid-retry') this.#error ??= error
      },
      maxBufferSize: MAX_BUFFER_CHARS,
    })
  }

  /** `[DONE]` arrived: later bytes are ignored. */
  get done(): boolean {
    return this.#done
  }

  /** The stream completed properly: `[DONE]` or a finish reason arrived. */
  get complete(): boolean {
    return this.#done || this.#finished
  }

  /** Decodes a chunk of bytes. Throws typed errors for malformed events and invalid JSON. */
  push(bytes: Uint8Array): CompletionChunk[] {
    return this.#feed(this.#text.decode(bytes, { stream: true }))
  }

  /** End of the body: an event whose blank line never came is still dispatched (some servers omit the last one). */
  end(): CompletionChunk[] {
    return this.#feed(`${this.#text.decode()}\n\n`)
  }

  #feed(text: string): CompletionChunk[] {
    if (this.#done) return []
    this.#sse.feed(text)
    const error = this.#error
    if (error !== undefined) {
      const what = error.type === 'unknown-field' ? `unexpected line ${JSON.stringify((error.line ?? '').slice(0, 80))}` : `a line or event longer than ${MAX_BUFFER_CHARS} characters`
      throw new RemoteHttpError('malformed-stream', 0, `${this.#server} sent a malformed event stream: ${what}`)
    }
    const chunks: CompletionChunk[] = []
    for (const data of this.#events.splice(0)) {
      if (data === DONE_SENTINEL) {
        this.#done = true
        break
      }
      const chunk = decodeCompletionEvent(parseEventJson(data, this.#server), this.#server)
      if (chunk.finishReason !== undefined) this.#finished = true
      chunks.push(chunk)
    }
    return chunks
  }
}
