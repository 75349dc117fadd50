import { describe, expect, it } from 'vitest'
import { CompletionStreamDecoder } from '../../../../src/backends/remote/completion-stream.js'
import { RemoteHttpError } from '../../../../src/backends/remote/remote-errors.js'

const encoder = new TextEncoder()

/** Every text the decoder yields for a whole body fed in pieces cut at `cuts`. */
function decode(body: string, cuts: readonly number[] = []): string[] {
  const bytes = encoder.encode(body)
  const decoder = new CompletionStreamDecoder('fake')
  const texts: string[] = []
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    for (const chunk of decoder.push(bytes.subarray(from, cut))) texts.push(chunk.text)
    from = cut
  }
  for (const chunk of decoder.end()) texts.push(chunk.text)
  return texts
}

const event = (text: string) => `{"choices":[{"text":${JSON.stringify(text)}}]}`

describe('server-sent event framing', () => {
  it('joins data lines, skips comments, ids and event names, and handles every line ending', () => {
    const body = `: ping\r\ndata: {"choices":[{"text":\r\ndata: "a"}]}\r\n\r\nevent: x\ndata:${event('c')}\n\ndata: ${event('d')}\r\rid: 1\nretry: soon\n`
    expect(decode(body)).toEqual(['a', 'c', 'd'])
  })

  it('gives the same chunks however the bytes are split, CRLF and UTF-8 sequences split included', () => {
    const body = `data: ${event('你好')}\r\n\r\ndata: ${event('two')}\r\n\r\n`
    const whole = decode(body)
    expect(whole).toEqual(['你好', 'two'])
    for (let cut = 0; cut <= encoder.encode(body).length; cut++) expect(decode(body, [cut])).toEqual(whole)
  })

  it('rejects a line that is neither a known field nor a comment', () => {
    expect(() => decode(`data: ${event('ok')}\n\n{"choices": []}\n`)).toThrow(RemoteHttpError)
    try {
      decode('garbage here\n')
      expect.unreachable()
    } catch (error) {
      expect((error as RemoteHttpError).reason).toBe('malformed-stream')
      expect((error as RemoteHttpError).code).toBe('MOSS_ERR_BACKEND_HTTP')
      expect((error as Error).message).toContain('garbage here')
    }
  })

  it('rejects a line that never ends instead of buffering it without bound', () => {
    const decoder = new CompletionStreamDecoder('fake')
    const piece = encoder.encode('x'.repeat(64 * 1024))
    expect(() => {
      for (let i = 0; i < 20; i++) decoder.push(piece)
    }).toThrow(/malformed event stream/)
  })

  it('dispatches a last event whose blank line never came, and ignores bytes after [DONE]', () => {
    const decoder = new CompletionStreamDecoder('fake')
    expect(decoder.push(encoder.encode(`data: ${event('a')}\n\ndata: [DONE]`))).toEqual([expect.objectContaining({ text: 'a' })])
    expect(decoder.done).toBe(false)
    expect(decoder.end()).toEqual([])
    expect(decoder.done).toBe(true)
    const after = new CompletionStreamDecoder('fake')
    after.push(encoder.encode('data: [DONE]\n\n'))
    expect(after.push(encoder.encode('garbage\n\n'))).toEqual([])
  })
})

describe('CompletionStreamDecoder', () => {
  it('decodes OpenAI events, stops at [DONE] and survives multi-byte characters split across chunks', () => {
    const bytes = encoder.encode(
      'data: {"choices":[{"text":"你好","finish_reason":null}]}\n\n' +
        'data: {"choices":[{"text":"","finish_reason":"stop"}]}\n\ndata: [DONE]\n\ndata: {"choices":[{"text":"late"}]}\n\n',
    )
    const decoder = new CompletionStreamDecoder('fake')
    const chunks = []
    for (let index = 0; index < bytes.length; index += 5) chunks.push(...decoder.push(bytes.subarray(index, index + 5)))
    chunks.push(...decoder.end())
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('你好')
    expect(chunks.at(-1)?.finishReason).toBe('stop')
    expect(decoder.done).toBe(true)
  })

  it('reports invalid JSON and in-stream errors as typed errors', () => {
    expect(() => new CompletionStreamDecoder('fake').push(encoder.encode('data: {"choices": [\n\n'))).toThrow(/not JSON/)
    try {
      new CompletionStreamDecoder('fake').push(encoder.encode('data: {"error":"overloaded"}\n\n'))
      expect.unreachable()
    } catch (error) {
      expect((error as RemoteHttpError).reason).toBe('server')
      expect((error as Error).message).toContain('overloaded')
    }
  })

  it('is incomplete when the body ends without [DONE] or a finish reason', () => {
    const decoder = new CompletionStreamDecoder('fake')
    decoder.push(encoder.encode('data: {"choices":[{"text":"a","finish_reason":null}]}\n\n'))
    decoder.end()
    expect(decoder.complete).toBe(false)
  })
})
