/**
 * One generation's cancellation: the caller's signal, an overall deadline and a first-token deadline, combined into
 * one signal that aborts the HTTP request. Remembers which one fired, so an abort by the caller ends the generation
 * quietly while a deadline becomes a typed timeout error.
 */
import { AbortedError, BackendError } from '../../errors.js'

/** Why the combined signal fired. */
export type DeadlineCause = 'caller' | 'timeout' | 'first-token-timeout' | 'disposed'

/** Combined signal of one request. Call {@link RequestDeadline.dispose} when the request ends. */
export class RequestDeadline {
  readonly #controller = new AbortController()
  readonly #cleanups: Array<() => void> = []
  #cause: DeadlineCause | undefined
  #firstTokenSeen = false

  constructor(caller: AbortSignal | undefined, timeoutMs: number | undefined, firstTokenTimeoutMs: number | undefined) {
    if (caller !== undefined) this.#listen(caller, 'caller')
    if (timeoutMs !== undefined) this.#listen(AbortSignal.timeout(timeoutMs), 'timeout')
    if (firstTokenTimeoutMs !== undefined) this.#listen(AbortSignal.timeout(firstTokenTimeoutMs), 'first-token-timeout')
  }

  /** The signal to pass to the HTTP client and to backoff sleeps. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** What fired, or `undefined`. */
  get cause(): DeadlineCause | undefined {
    return this.#cause
  }

  /** The first token arrived: the first-token deadline no longer applies. */
  firstToken(): void {
    this.#firstTokenSeen = true
  }

  /** Aborts from inside (session disposed). */
  abort(cause: DeadlineCause): void {
    this.#fire(cause, undefined)
  }

  /** The typed error for a deadline, or `undefined` when the caller aborted (or nothing fired). */
  timeoutError(server: string, cause?: unknown): BackendError | undefined {
    if (this.#cause === 'timeout') {
      return new BackendError(`${server} did not finish the generation before the deadline`, { code: 'MOSS_ERR_BACKEND_TIMEOUT', cause })
    }
    if (this.#cause === 'first-token-timeout') {
      return new BackendError(`${server} sent no token before the first-token deadline`, { code: 'MOSS_ERR_BACKEND_TIMEOUT', cause })
    }
    if (this.#cause === 'disposed') return new BackendError('The session was disposed during the generation', { cause })
    return undefined
  }

  /** Detaches every listener. */
  dispose(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup()
  }

  #listen(signal: AbortSignal, cause: DeadlineCause): void {
    if (signal.aborted) {
      this.#fire(cause, signal.reason)
      return
    }
    const onAbort = (): void => this.#fire(cause, signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    this.#cleanups.push(() => signal.removeEventListener('abort', onAbort))
  }

  #fire(cause: DeadlineCause, reason: unknown): void {
    if (this.#cause !== undefined) return
    if (cause === 'first-token-timeout' && this.#firstTokenSeen) return
    this.#cause = cause
    this.#controller.abort(reason ?? new AbortedError(`Generation aborted (${cause})`))
  }
}
