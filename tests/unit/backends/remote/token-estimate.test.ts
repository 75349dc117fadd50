import { describe, expect, it } from 'vitest'
import { estimateTokens } from '../../../../src/backends/remote/token-estimate.js'
import { toWireSampling } from '../../../../src/backends/remote/sampling.js'

describe('estimateTokens', () => {
  it('counts CJK and full-width characters one each and other text by thirds', () => {
    expect(estimateTokens('')).toBe(0)
    expect(estimateTokens('abcdef')).toBe(2)
    expect(estimateTokens('abcd')).toBe(2)
    expect(estimateTokens('你好世界')).toBe(4)
    expect(estimateTokens('（１＋１）')).toBe(5)
    expect(estimateTokens('你好 abc')).toBe(2 + 2)
  })
})

describe('toWireSampling', () => {
  it('maps MOSS defaults, request over backend, and leaves out fields the dialect lacks', () => {
    expect(toWireSampling(undefined, undefined, 'extended')).toEqual({ temperature: 0.7, top_p: 0.8, top_k: 40, repetition_penalty: 1.02 })
    expect(toWireSampling({ temperature: 1, seed: 3 }, { temperature: 0, topK: undefined }, 'openai')).toEqual({
      temperature: 0,
      top_p: 0.8,
      seed: 3,
    })
  })
})
