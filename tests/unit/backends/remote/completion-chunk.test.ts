import { describe, expect, it } from 'vitest'
import { decodeCompletionEvent } from '../../../../src/backends/remote/completion-chunk.js'

describe('decodeCompletionEvent', () => {
  it('reads the OpenAI completions shape with vLLM stop_reason and usage', () => {
    expect(
      decodeCompletionEvent(
        { choices: [{ text: 'x', finish_reason: 'stop', stop_reason: '<eoc>' }], usage: { completion_tokens: 7 } },
        'fake',
      ),
    ).toEqual({ text: 'x', finishReason: 'stop', stopReason: '<eoc>', completionTokens: 7 })
  })

  it('accepts a usage-only event with no choices', () => {
    expect(decodeCompletionEvent({ choices: [], usage: { completion_tokens: 3 } }, 'fake')).toEqual({
      text: '',
      completionTokens: 3,
    })
  })

  it('reads TGI generate_stream events and drops special-token text', () => {
    expect(decodeCompletionEvent({ token: { id: 1, text: '好', special: false }, details: null }, 'fake').text).toBe('好')
    const last = decodeCompletionEvent(
      { token: { id: 2, text: '</s>', special: true }, details: { finish_reason: 'eos_token', generated_tokens: 2 } },
      'fake',
    )
    expect(last).toEqual({ text: '', finishReason: 'eos_token', completionTokens: 2 })
  })

  it('rejects shapes it does not know', () => {
    expect(() => decodeCompletionEvent({ foo: 1 }, 'fake')).toThrow(/without choices/)
    expect(() => decodeCompletionEvent('text', 'fake')).toThrow(/not an object/)
    expect(() => decodeCompletionEvent({ error: { message: 'boom' } }, 'fake')).toThrow(/boom/)
  })
})
