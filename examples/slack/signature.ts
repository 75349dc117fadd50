/**
 * Slack request signing: `v0=` + HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), compared in constant
 * time. Stricter than Bolt 5.1's own check: a timestamp more than five minutes away in **either** direction is
 * rejected (Bolt accepts requests dated in the future, which widens the replay window).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Largest accepted distance between the request's timestamp and our clock, in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 300

/** Why a request was refused, or `ok`. */
export type SignatureVerdict = 'ok' | 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature'

/** Computes the signature Slack would send for `body` at `timestamp`. */
export function signSlackRequest(secret: string, timestamp: string | number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`
}

/** Checks the `x-slack-signature` and `x-slack-request-timestamp` headers of a request. */
export function verifySlackSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureVerdict {
  const { signature, timestamp } = headers
  if (!signature || !timestamp) return 'missing-headers'
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad-timestamp'
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return 'stale-timestamp'
  const expected = Buffer.from(signSlackRequest(secret, timestamp, rawBody), 'utf8')
  const given = Buffer.from(signature, 'utf8')
  if (given.length !== expected.length) return 'bad-signature'
  return timingSafeEqual(given, expected) ? 'ok' : 'bad-signature'
}
