import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../../../../src/index.js'

describe('retryDelayMs', () => {
  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 }
    expect(retryDelayMs(1, undefined, policy, () => 0)).toBe(50)
    expect(retryDelayMs(1, undefined, policy, () => 1)).toBe(100)
    expect(retryDelayMs(3, undefined, policy, () => 1)).toBe(400)
    expect(retryDelayMs(10, undefined, policy, () => 1)).toBe(1000)
  })

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(retryDelayMs(1, '2', {}, () => 0)).toBe(2000)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(retryDelayMs(1, 'Wed, 01 Jan 2025 00:00:03 GMT', {}, () => 0, now)).toBe(3000)
  })

  it('gives up when the server asks for longer than the cap', () => {
    expect(retryDelayMs(1, '3600', { maxRetryAfterMs: 5000 })).toBeUndefined()
  })

  it('falls back to backoff for an unparsable Retry-After', () => {
    expect(retryDelayMs(1, 'soon', { baseDelayMs: 100 }, () => 1)).toBe(100)
  })
})
