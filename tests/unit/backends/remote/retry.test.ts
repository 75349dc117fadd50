import { describe, expect, it } from 'vitest'
import { RemoteHttpError } from '../../../../src/backends/remote/remote-errors.js'
import { backoffDelay, parseRetryAfter, resolveRetryOptions, withRetries } from '../../../../src/backends/remote/retry.js'

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter(' 0.5 ')).toBe(500)
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  it('doubles from the initial delay, stays within [ceiling/2, ceiling] and is capped', () => {
    const options = resolveRetryOptions({ initialDelayMs: 100, maxDelayMs: 1000 })
    expect(backoffDelay(0, options, () => 0)).toBe(50)
    expect(backoffDelay(0, options, () => 1)).toBe(100)
    expect(backoffDelay(3, options, () => 1)).toBe(800)
    expect(backoffDelay(10, options, () => 1)).toBe(1000)
  })
})

describe('withRetries', () => {
  const unavailable = (retryAfterMs?: number): RemoteHttpError =>
    new RemoteHttpError('unavailable', 503, 'busy', retryAfterMs === undefined ? {} : { retryAfterMs })
  const fast = resolveRetryOptions({ maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 })

  it('retries 503 and 429 up to the bound, then throws the last error', async () => {
    let calls = 0
    const result = withRetries(() => {
      calls++
      return Promise.reject(unavailable())
    }, fast, new AbortController().signal)
    await expect(result).rejects.toMatchObject({ status: 503 })
    expect(calls).toBe(3)
  })

  it('succeeds after a retry and reports the delay it used, Retry-After first', async () => {
    const delays: number[] = []
    let calls = 0
    const value = await withRetries(
      () => (++calls === 1 ? Promise.reject(unavailable(5)) : Promise.resolve('ok')),
      fast,
      new AbortController().signal,
      (_error, delay) => delays.push(delay),
    )
    expect(value).toBe('ok')
    expect(delays).toEqual([5])
  })

  it('does not retry other errors, nor a Retry-After beyond the cap', async () => {
    let calls = 0
    await expect(
      withRetries(() => {
        calls++
        return Promise.reject(new RemoteHttpError('unauthorized', 401, 'no'))
      }, fast, new AbortController().signal),
    ).rejects.toMatchObject({ status: 401 })
    expect(calls).toBe(1)
    const capped = resolveRetryOptions({ maxRetryAfterMs: 100 })
    await expect(withRetries(() => Promise.reject(unavailable(5000)), capped, new AbortController().signal)).rejects.toMatchObject({
      retryAfterMs: 5000,
    })
  })

  it('stops waiting when the signal fires', async () => {
    const controller = new AbortController()
    const slow = resolveRetryOptions({ initialDelayMs: 60_000, maxDelayMs: 60_000 })
    const result = withRetries(() => Promise.reject(unavailable()), slow, controller.signal)
    setTimeout(() => controller.abort(new Error('stop')), 10)
    await expect(result).rejects.toThrow('stop')
  })
})
