/**
 * Brave's rate-limit headers. Every answer carries comma lists with one entry per window of the plan, shortest
 * window first, e.g. `X-RateLimit-Policy: 1;w=1, 15000;w=2592000` (1 per second, 15000 per month),
 * `X-RateLimit-Remaining: 0, 14000` and `X-RateLimit-Reset: 1, 1419704` (seconds until each window resets).
 */

/** One rate-limit window as Brave reports it. */
export interface BraveRateWindow {
  /** Window length in seconds (from the policy), or `undefined` when the policy header is absent. */
  readonly windowSeconds: number | undefined
  /** Requests left in the window, or `undefined` when not reported. */
  readonly remaining: number | undefined
  /** Seconds until the window resets. */
  readonly resetSeconds: number
}

type Headers = Readonly<Record<string, string | string[] | undefined>>

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

function numbers(list: string | undefined): (number | undefined)[] {
  if (!list) return []
  return list.split(',').map((item) => {
    const value = Number(item.trim().split(';')[0])
    return item.trim() !== '' && Number.isFinite(value) ? value : undefined
  })
}

/** The windows described by the headers (lower-case names), in Brave's order; empty without `X-RateLimit-Reset`. */
export function braveRateWindows(headers: Headers): BraveRateWindow[] {
  const resets = numbers(header(headers, 'x-ratelimit-reset'))
  const remaining = numbers(header(headers, 'x-ratelimit-remaining'))
  const policies = (header(headers, 'x-ratelimit-policy') ?? '').split(',')
  return resets.flatMap((resetSeconds, i) => {
    if (resetSeconds === undefined || resetSeconds < 0) return []
    const window = /;\s*w=(\d+)/.exec(policies[i] ?? '')?.[1]
    return [{ windowSeconds: window === undefined ? undefined : Number(window), remaining: remaining[i], resetSeconds }]
  })
}

/**
 * The window that blocks the next request: the one with nothing remaining that resets last, or — when no window
 * reports zero remaining — the shortest one (the per-second limit). `undefined` without usable headers.
 */
export function blockingBraveWindow(headers: Headers): BraveRateWindow | undefined {
  const windows = braveRateWindows(headers)
  const exhausted = windows.filter((window) => window.remaining === 0)
  if (exhausted.length > 0) return exhausted.reduce((a, b) => (b.resetSeconds > a.resetSeconds ? b : a))
  return windows[0]
}

/** `45 s`, `12 min`, `5 h`, `16 days`: how long until a reset, for messages. */
export function describeWait(seconds: number): string {
  if (seconds < 120) return `${Math.ceil(seconds)} s`
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} h`
  return `${Math.floor(seconds / 86400)} days`
}
