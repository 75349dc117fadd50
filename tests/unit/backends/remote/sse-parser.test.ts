import { describe, expect, it } from 'vitest'
import { CompletionStreamDecoder } from '../../../../src/backends/remote/completion-stream.js'
import { RemoteHttpError } from '../../../../src/backends/remote/remote-errors.js'
import { SseParser } from '../../../../src/backends/remote/sse-parser.js'

const encoder = new TextEncoder()

describe('SseParser', () => {
  it('joins data lines, skips comments and handles every line ending', () => {
    const parser = new SseParser()
    const events = parser.push(': ping\r\ndata: a\r\ndata: b\r\n\r\nevent: x\ndata:c\n\ndata: d\r\rid: 1\n')
    expect(events).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'x', data: 'c' },
      { event: 'message', data: 'd' },
    ])
  })

  it('gives the same events however the input is split, CRLF split included', () => {
    const input = 'data: {"t":"你好"}\r\n\r\ndata: two\r\n\r\n'
    const whole = new SseParser().push(input)
    for (let cut = 0; cut <= input.length; cut++) {
      const parser = new SseParser()
      const events = [...parser.push(input.slice(0, cut)), ...parser.push(input.slice(cut)), ...parser.end()]
      expect(events).toEqual(whole)
    }
  })

  it('rejects a line that is neither a known field nor a comment', () => {
    const parser = new SseParser('fake')
    expect(() => parser.push('data: ok\n\n{"choices": []}\n')).toThrow(RemoteHttpError)
    try {
      new SseParser('fake').push('garbage here\n')
    } catch (error) {
      expect((error as RemoteHttpError).reason).toBe('malformed-stream')
      expect((error as RemoteHttpError).code).toBe('MOSS_ERR_BACKEND_HTTP')
    }
  })

  it('dispatches a last event whose blank line never came', () => {
    const parser = new SseParser()
    expect(parser.push('data: [DONE]')).toEqual([])
    expect(parser.end()).toEqual([{ event: 'message', data: '[DONE]' }])
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
