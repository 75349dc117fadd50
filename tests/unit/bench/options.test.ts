import { describe, expect, it } from 'vitest'
import { parseBenchOptions } from '../../../bench/options.js'
import { InvalidInputError } from '../../../src/errors.js'

describe('bench options', () => {
  it('runs on the CPU with a 2,000-token mixed load unless told otherwise', () => {
    const options = parseBenchOptions([])
    expect(options?.gpu).toBe(false)
    expect(options?.mixedPromptTokens).toBe(2000)
  })

  it('passes --gpu on as the backend device choice (cpu means none)', () => {
    expect(parseBenchOptions(['--gpu', 'cuda'])?.gpu).toBe('cuda')
    expect(parseBenchOptions(['--gpu', 'vulkan'])?.gpu).toBe('vulkan')
    expect(parseBenchOptions(['--gpu', 'auto'])?.gpu).toBe('auto')
    expect(parseBenchOptions(['--gpu', 'cpu'])?.gpu).toBe(false)
  })

  it('refuses an unknown device or a missing value with a typed error naming the choices', () => {
    expect(() => parseBenchOptions(['--gpu', 'tpu'])).toThrow(InvalidInputError)
    expect(() => parseBenchOptions(['--gpu', 'tpu'])).toThrow(/cpu, auto, cuda, vulkan, metal/)
    expect(() => parseBenchOptions(['--gpu'])).toThrow(InvalidInputError)
  })

  it('skips the mixed load with --mixed-prompt-tokens 0 and refuses a negative count', () => {
    expect(parseBenchOptions(['--mixed-prompt-tokens', '0'])?.mixedPromptTokens).toBe(0)
    expect(() => parseBenchOptions(['--mixed-prompt-tokens', '-5'])).toThrow(InvalidInputError)
  })

  it('measures every concurrency level in 3 interleaved rounds unless told otherwise, at least one', () => {
    expect(parseBenchOptions([])?.concurrencyRounds).toBe(3)
    expect(parseBenchOptions(['--concurrency-rounds', '7'])?.concurrencyRounds).toBe(7)
    expect(() => parseBenchOptions(['--concurrency-rounds', '0'])).toThrow(InvalidInputError)
  })
})
