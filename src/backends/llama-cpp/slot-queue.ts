import { AbortedError, BackendError } from '../../errors.js'

/** Options for waiting on a slot. */
export interface AcquireOptions {
  /** Gives up waiting. */
  readonly signal?: AbortSignal
  /** Defaults to `60_000`. */
  readonly timeoutMs?: number
}

interface Waiter {
  readonly resolve: (release: () => void) => void
  readonly reject: (error: unknown) => void
}

/**
 * A fixed number of slots (context sequences) handed out first come, first served. A waiter that times out or is
 * aborted leaves the queue without disturbing the others, so a busy bot queues instead of crashing.
 */
export class SlotQueue {
  private free: number
  private readonly waiters: Waiter[] = []
  private closed = false

  constructor(readonly size: number) {
    this.free = size
  }

  /** Slots in use. */
  get inUse(): number {
    return this.size - this.free
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length
  }

  /** Waits for a slot; resolves to a release function (idempotent). */
  acquire(options: AcquireOptions = {}): Promise<() => void> {
    if (this.closed) return Promise.reject(new BackendError('The model backend is disposed'))
    if (options.signal?.aborted) return Promise.reject(new AbortedError('Gave up waiting for a model slot', { cause: options.signal.reason }))
    if (this.free > 0 && this.waiters.length === 0) {
      this.free--
      return Promise.resolve(this.releaser())
    }
    const timeoutMs = options.timeoutMs ?? 60_000
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        const index = this.waiters.indexOf(waiter)
        if (index >= 0) this.waiters.splice(index, 1)
      }
      const waiter: Waiter = {
        resolve: (release) => {
          cleanup()
          resolve(release)
        },
        reject: (error) => {
          cleanup()
          reject(error)
        },
      }
      const onAbort = (): void => waiter.reject(new AbortedError('Gave up waiting for a model slot', { cause: options.signal?.reason }))
      const timer = setTimeout(() => {
        waiter.reject(
          new BackendError(`All ${this.size} model session slot(s) stayed busy for ${timeoutMs} ms`, { code: 'MOSS_ERR_BACKEND_TIMEOUT' }),
        )
      }, timeoutMs)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  /** Rejects every waiter; later `acquire` calls fail. */
  close(): void {
    this.closed = true
    for (const waiter of [...this.waiters]) waiter.reject(new BackendError('The model backend was disposed while waiting for a slot'))
  }

  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiters[0]
      if (next !== undefined) next.resolve(this.releaser())
      else this.free++
    }
  }
}
