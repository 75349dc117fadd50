import { describe, expect, it } from 'vitest'
import { RemoteHttpError, retryableOverload } from '../../../src/backends/remote/remote-errors.js'
import { remoteRetryPolicy } from '../../../src/backends/remote/remote-backend.js'
import { retryDelayMs } from '../../../src/plugin-kit.js'
import { backoffMs, parseRetryAfter, resolveRetryPolicy, withRetries } from '../../../src/util/http-retry.js'

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter(' 0.5 ')).toBe(500)
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter('')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})

describe('backoff', () => {
  it('doubles from the base delay, stays within [ceiling/2, ceiling] and is capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 }
    expect(backoffMs(1, policy, () => 0)).toBe(50)
    expect(backoffMs(1, policy, () => 1)).toBe(100)
    expect(backoffMs(4, policy, () => 1)).toBe(800)
    expect(backoffMs(11, policy, () => 1)).toBe(1000)
  })
})

describe('retryDelayMs (plugin-kit)', () => {
  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 }
    expect(retryDelayMs(1, undefined, policy, () => 0)).toBe(50)
    expect(retryDelayMs(1, undefined, policy, () => 1)).toBe(100)
    expect(retryDelayMs(3, undefined, policy, () => 1)).toBe(400)
    expect(retryDelayMs(10, undefined, policy, () => 1)).toBe(1000)
  })

  it('honours Retry-After in seconds and as an HTTP date, gives up past the cap, backs off when unparsable', () => {
    expect(retryDelayMs(1, '2', {}, () => 0)).toBe(2000)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(retryDelayMs(1, 'Wed, 01 Jan 2025 00:00:03 GMT', {}, () => 0, now)).toBe(3000)
    expect(retryDelayMs(1, '3600', { maxRetryAfterMs: 5000 })).toBeUndefined()
    expect(retryDelayMs(1, 'soon', { baseDelayMs: 100 }, () => 1)).toBe(100)
  })
})

describe('withRetries with the remote backends policy', () => {
  const unavailable = (retryAfterMs?: number): RemoteHttpError =>
    new RemoteHttpError('unavailable', 503, 'busy', retryAfterMs === undefined ? {} : { retryAfterMs })
  const loop = (policy: Parameters<typeof remoteRetryPolicy>[0], signal = new AbortController().signal, onRetry?: (e: unknown, d: number) => void) => ({
    policy: remoteRetryPolicy(policy),
    signal,
    classify: retryableOverload,
    ...(onRetry ? { onRetry } : {}),
  })
  const fast = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 }

  it('retries 503 and 429 up to the bound, then throws the last error', async () => {
    let calls = 0
    const result = withRetries(() => {
      calls++
      return Promise.reject(unavailable())
    }, loop(fast))
    await expect(result).rejects.toMatchObject({ status: 503 })
    expect(calls).toBe(3)
  })

  it('succeeds after a retry and reports the delay it used, Retry-After first', async () => {
    const delays: number[] = []
    let calls = 0
    const value = await withRetries(
      () => (++calls === 1 ? Promise.reject(unavailable(5)) : Promise.resolve('ok')),
      loop(fast, undefined, (_error, delay) => delays.push(delay)),
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
      }, loop(fast)),
    ).rejects.toMatchObject({ status: 401 })
    expect(calls).toBe(1)
    await expect(withRetries(() => Promise.reject(unavailable(5000)), loop({ maxRetryAfterMs: 100 }))).rejects.toMatchObject({
      retryAfterMs: 5000,
    })
  })

  it('does not start a retry whose wait would end past the deadline', async () => {
    let calls = 0
    const result = withRetries(() => {
      calls++
      return Promise.reject(unavailable(1000))
    }, { ...loop(fast), deadlineAt: Date.now() + 500 })
    await expect(result).rejects.toMatchObject({ status: 503 })
    expect(calls).toBe(1)
  })

  it('stops waiting when the signal fires', async () => {
    const controller = new AbortController()
    const result = withRetries(() => Promise.reject(unavailable()), loop({ initialDelayMs: 60_000, maxDelayMs: 60_000 }, controller.signal))
    setTimeout(() => controller.abort(new Error('stop')), 10)
    await expect(result).rejects.toThrow('stop')
  })

  it('fills plugin service defaults and never allows fewer than one attempt', () => {
    expect(resolveRetryPolicy(undefined)).toEqual({ attempts: 3, baseDelayMs: 300, maxDelayMs: 4000, maxRetryAfterMs: 10_000 })
    expect(resolveRetryPolicy({ attempts: 0 }).attempts).toBe(1)
    expect(remoteRetryPolicy({ maxRetries: 0 }).attempts).toBe(1)
  })
})
