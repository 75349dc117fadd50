/**
 * Per-client concurrency: a client (by remote address) may hold at most `limit` streaming requests at once; one
 * more is refused with 429 and `Retry-After`, so one busy client cannot queue up the whole model.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { RequestError } from '../errors.js'

export class ClientLimiter {
  readonly #active = new Map<string, number>()

  /** @param limit Streaming requests one client may have open. */
  constructor(private readonly limit: number) {}

  /** Takes a slot for the client of `c` (throws a 429 {@link RequestError} when it has none left); returns its release. */
  take(c: Context): () => void {
    const client = clientOf(c)
    const count = this.#active.get(client) ?? 0
    if (count >= this.limit) {
      throw new RequestError(429, 'MOSS_ERR_TOO_MANY_REQUESTS', `Too many requests at once from this client (limit ${this.limit}); retry when one finished`)
    }
    this.#active.set(client, count + 1)
    let held = true
    return () => {
      if (!held) return
      held = false
      const left = (this.#active.get(client) ?? 1) - 1
      if (left > 0) this.#active.set(client, left)
      else this.#active.delete(client)
    }
  }
}

function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
