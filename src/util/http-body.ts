/** Response headers and bodies, read defensively: a body is never read past a byte bound. */

/** Response headers as undici gives them (lower-case names). */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>

/** First value of a header (lower-case name). */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** A body read up to a bound. */
export interface BoundedBody {
  /** At most the bound's bytes. */
  readonly bytes: Buffer
  /** More bytes came than the bound allows (they were not read: the stream was closed). */
  readonly truncated: boolean
}

/**
 * Reads a body up to `maxBytes`. Past the bound it stops reading, which closes the stream, and reports `truncated`
 * (error bodies can be huge HTML pages; a service must not fill memory).
 */
export async function readBounded(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<BoundedBody> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const room = maxBytes - size
    if (chunk.byteLength > room) {
      chunks.push(Buffer.from(chunk.subarray(0, room)))
      return { bytes: Buffer.concat(chunks), truncated: true }
    }
    size += chunk.byteLength
    chunks.push(Buffer.from(chunk))
  }
  return { bytes: Buffer.concat(chunks), truncated: false }
}
