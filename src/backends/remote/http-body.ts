/** Small helpers for undici response bodies and headers. */
import type { Dispatcher } from 'undici'

/** First value of a header, lower-case name. */
export function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Reads at most `limit` bytes of a body as text and discards the rest (error bodies can be huge HTML pages). */
export async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    const room = limit - size
    if (room <= 0) break
    const piece = chunk.byteLength > room ? chunk.subarray(0, room) : chunk
    size += piece.byteLength
    text += decoder.decode(piece, { stream: true })
  }
  return text + decoder.decode()
}
