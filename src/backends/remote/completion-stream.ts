/**
 * Decodes a streamed completion body (bytes of server-sent events) into chunks: SSE framing, `[DONE]`, JSON, and the
 * OpenAI/TGI event shapes. Shared by the undici client and the Hugging Face client's stream validator.
 */
import type { CompletionChunk } from './completion-chunk.js'
import { decodeCompletionEvent, parseEventJson } from './completion-chunk.js'
import { SseParser } from './sse-parser.js'

/** The data line that ends an OpenAI-style stream. */
export const DONE_SENTINEL = '[DONE]'

/** Incremental decoder of one completion stream. */
export class CompletionStreamDecoder {
  readonly #server: string
  readonly #sse: SseParser
  readonly #text = new TextDecoder()
  #done = false
  #finished = false

  constructor(server: string) {
    this.#server = server
    this.#sse = new SseParser(server)
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
    return this.#decode(this.#sse.push(this.#text.decode(bytes, { stream: true })))
  }

  /** End of the body. */
  end(): CompletionChunk[] {
    const tail = this.#text.decode()
    return this.#decode([...(tail ? this.#sse.push(tail) : []), ...this.#sse.end()])
  }

  #decode(events: ReadonlyArray<{ data: string }>): CompletionChunk[] {
    const chunks: CompletionChunk[] = []
    for (const event of events) {
      if (this.#done) break
      if (event.data === DONE_SENTINEL) {
        this.#done = true
        break
      }
      const chunk = decodeCompletionEvent(parseEventJson(event.data, this.#server), this.#server)
      if (chunk.finishReason !== undefined) this.#finished = true
      chunks.push(chunk)
    }
    return chunks
  }
}
