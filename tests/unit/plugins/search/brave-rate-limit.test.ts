import { describe, expect, it } from 'vitest'
import { blockingBraveWindow, braveRateWindows, describeWait } from '../../../../plugins/search/backends/brave-rate-limit.js'
import { fitBraveQuery } from '../../../../plugins/search/backends/brave.js'

describe("Brave's rate-limit headers", () => {
  const perSecondSpent = {
    'x-ratelimit-limit': '1, 15000',
    'x-ratelimit-policy': '1;w=1, 15000;w=2592000',
    'x-ratelimit-remaining': '0, 14000',
    'x-ratelimit-reset': '1, 1419704',
  }

  it('reads one window per comma-separated entry, shortest first', () => {
    expect(braveRateWindows(perSecondSpent)).toEqual([
      { windowSeconds: 1, remaining: 0, resetSeconds: 1 },
      { windowSeconds: 2592000, remaining: 14000, resetSeconds: 1419704 },
    ])
  })

  it('blocks on the spent window: the second when only the per-second quota is gone', () => {
    expect(blockingBraveWindow(perSecondSpent)?.resetSeconds).toBe(1)
  })

  it('blocks on the month when the monthly quota is gone, even if the second is too', () => {
    expect(blockingBraveWindow({ ...perSecondSpent, 'x-ratelimit-remaining': '0, 0' })).toMatchObject({
      windowSeconds: 2592000,
      resetSeconds: 1419704,
    })
  })

  it('falls back to the shortest window without a remaining count, and to nothing without a reset header', () => {
    expect(blockingBraveWindow({ 'x-ratelimit-reset': '2, 100' })?.resetSeconds).toBe(2)
    expect(blockingBraveWindow({ 'retry-after': '3' })).toBeUndefined()
    expect(blockingBraveWindow({ 'x-ratelimit-reset': 'soon' })).toBeUndefined()
  })

  it('describes waits for people', () => {
    expect(describeWait(1)).toBe('1 s')
    expect(describeWait(600)).toBe('10 min')
    expect(describeWait(3 * 3600)).toBe('3 h')
    expect(describeWait(1419704)).toBe('16 days')
  })
})

describe('fitBraveQuery', () => {
  it('keeps short queries (whitespace runs become one space)', () => {
    expect(fitBraveQuery('  mount   everest\n height ')).toBe('mount everest height')
  })

  it('keeps at most 50 words', () => {
    const query = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ')
    expect(fitBraveQuery(query).split(' ')).toHaveLength(50)
  })

  it('cuts at the last space within 400 characters, or at 400 code points when there is none', () => {
    const long = `${'a'.repeat(250)} ${'b'.repeat(250)}`
    expect(fitBraveQuery(long)).toBe('a'.repeat(250))
    expect(fitBraveQuery(`${'x'.repeat(400)} tail`)).toBe('x'.repeat(400))
    expect([...fitBraveQuery('😀'.repeat(500))]).toHaveLength(400)
  })
})
