import { describe, expect, it } from 'vitest'
import { CHUNK_ROUND_BUDGET, MIN_CHUNK, nextChunkTokens } from '../../../../src/backends/llama-cpp/chunk-sizing.js'

describe('nextChunkTokens', () => {
  it('probes with the smallest chunk before any chunk round was timed', () => {
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: undefined }, undefined, 64)).toBe(MIN_CHUNK)
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: undefined }, 32, 64)).toBe(MIN_CHUNK)
  })

  it('sizes the chunk so that its round takes the budget: the plain part is not scaled with the chunk', () => {
    // Plain round 10 ms, 0.25 ms per prompt token: (1.5 − 1) × 10 / 0.25 = 20 tokens, a 15 ms round.
    const chunk = nextChunkTokens({ plainMs: 10, promptTokenMs: 0.25 }, undefined, 64)
    expect(chunk).toBe(20)
    expect(10 + chunk * 0.25).toBeCloseTo(CHUNK_ROUND_BUDGET * 10)
    // A proportional rescaling of a 64-token chunk that took 26 ms (10 + 64 × 0.25) would give 36 tokens: a 19 ms round.
    expect(Math.round(64 * (15 / 26))).toBe(37)
  })

  it('shrinks when attention makes prompt tokens dearer (long positions), down to the floor', () => {
    const short = nextChunkTokens({ plainMs: 10, promptTokenMs: 0.25 }, undefined, 64)
    const long = nextChunkTokens({ plainMs: 10, promptTokenMs: 0.5 }, undefined, 64)
    expect(long).toBe(10)
    expect(long).toBeLessThan(short)
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: 3 }, 8, 64)).toBe(MIN_CHUNK)
  })

  it('grows at most twofold per chunk within a prompt, and never beyond promptChunkTokens', () => {
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: 0.01 }, 4, 64)).toBe(8)
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: 0.01 }, 48, 64)).toBe(64)
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: 0.01 }, undefined, 64)).toBe(64)
  })

  it('keeps within a promptChunkTokens below the floor', () => {
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: undefined }, undefined, 2)).toBe(2)
    expect(nextChunkTokens({ plainMs: 10, promptTokenMs: 0.01 }, undefined, 3)).toBe(3)
    expect(nextChunkTokens({ plainMs: 0.5, promptTokenMs: 40 }, 16, 3)).toBe(3)
  })
})
