/**
 * A conversation on a remote server. The transcript is plain text: each generation replays all of it as the prompt
 * (servers with prefix caching — vLLM, TGI, llama.cpp server — only process what is new). Stop markers are applied
 * here, client-side, with partial markers held back, because servers may not stop on markers that span tokens.
 *
 * Trust: the text is sent as one string, and these servers usually parse special-token text in prompts. The
 * `trusted` flag cannot be honoured on the wire; the format layer's neutralisation of markers in user text and
 * plugin results is what keeps untrusted text from forging turns.
 */
import { BackendError, MossError, describeError } from '../../errors.js'
import { StopDetector } from '../stop-detector.js'
import type {
  BackendStats,
  GenerateOutcome,
  GenerateRequest,
  ModelSession,
  PromptPart,
  SamplingOptions,
} from '../types.js'
import type { ResolvedRetryPolicy } from '../../util/http-retry.js'
import { withRetries } from '../../util/http-retry.js'
import type { CompletionChunk } from './completion-chunk.js'
import { RequestDeadline } from './deadline.js'
import { retryableOverload } from './remote-errors.js'
import type { SamplingDialect } from './sampling.js'
import { toWireSampling } from './sampling.js'
import type { CompletionTransport } from './transport.js'

/** Everything a session needs from its backend. */
export interface RemoteSessionConfig {
  readonly transport: CompletionTransport
  readonly countTokens: (text: string) => number
  readonly contextSize: number | undefined
  readonly maxTokens: number
  readonly sampling: SamplingOptions | undefined
  readonly dialect: SamplingDialect
  readonly retry: ResolvedRetryPolicy
  readonly timeoutMs: number | undefined
  readonly firstTokenTimeoutMs: number | undefined
  readonly serverStop: boolean
  /** Called once when the session is disposed. */
  readonly onDispose: (session: RemoteSession) => void
}

/** Finish reasons that mean "the model decided to stop" (OpenAI and TGI spellings). */
const STOPPED_REASONS: ReadonlySet<string> = new Set(['stop', 'eos_token', 'stop_sequence', 'eos'])
/** Finish reasons that mean "the token limit was reached". */
const LENGTH_REASONS: ReadonlySet<string> = new Set(['length', 'max_tokens'])

const joinParts = (parts: readonly PromptPart[]): string => parts.map((part) => part.text).join('')

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length)
  let index = 0
  while (index < max && a.charCodeAt(index) === b.charCodeAt(index)) index++
  return index
}

/** A {@link ModelSession} whose transcript is replayed to a remote server on each generation. */
export class RemoteSession implements ModelSession {
  readonly #config: RemoteSessionConfig
  #text = ''
  /** Length of the transcript prefix the server has already seen (prompt plus its own output). */
  #serverKnown = 0
  #tokenCount: number | undefined
  #busy: RequestDeadline | undefined
  #disposed = false
  readonly #stats: BackendStats = { evaluated: 0, generated: 0, reused: 0 }

  constructor(config: RemoteSessionConfig, initial?: readonly PromptPart[]) {
    this.#config = config
    if (initial !== undefined) this.#text = joinParts(initial)
  }

  /** The transcript as sent to the server (for diagnostics and tests). */
  get text(): string {
    return this.#text
  }

  get tokenCount(): number {
    this.#tokenCount ??= this.#config.countTokens(this.#text)
    return this.#tokenCount
  }

  get contextSize(): number | undefined {
    return this.#config.contextSize
  }

  get stats(): Readonly<BackendStats> {
    return this.#stats
  }

  countTokens(parts: readonly PromptPart[]): number {
    return this.#config.countTokens(joinParts(parts))
  }

  /** Appends text; nothing is sent until the next generation. */
  append(parts: readonly PromptPart[]): Promise<void> {
    this.#usable()
    this.#setText(this.#text + joinParts(parts))
    return Promise.resolve()
  }

  /** Replaces the transcript; the server's cached prefix is assumed to survive up to the first difference. */
  reset(parts: readonly PromptPart[]): Promise<void> {
    this.#usable()
    const next = joinParts(parts)
    this.#serverKnown = Math.min(this.#serverKnown, commonPrefixLength(this.#text, next))
    this.#setText(next)
    return Promise.resolve()
  }

  async *generate(request: GenerateRequest): AsyncGenerator<string, GenerateOutcome, void> {
    this.#usable()
    if (this.#busy !== undefined) throw new BackendError('This session is already generating; wait for it to finish', { code: 'MOSS_ERR_SESSION_BUSY' })
    const config = this.#config
    const server = config.transport.server
    if (request.signal?.aborted === true) return { reason: 'aborted', tokens: 0 }
    const contextSize = config.contextSize
    if (contextSize !== undefined && this.tokenCount >= contextSize) {
      throw new BackendError(`The transcript (~${this.tokenCount} tokens) fills the ${contextSize}-token context`, {
        code: 'MOSS_ERR_CONTEXT_OVERFLOW',
      })
    }

    const deadline = new RequestDeadline(request.signal, config.timeoutMs, config.firstTokenTimeoutMs)
    this.#busy = deadline
    const prompt = this.#text
    this.#stats.evaluated += config.countTokens(prompt.slice(this.#serverKnown))
    this.#stats.reused += config.countTokens(prompt.slice(0, this.#serverKnown))
    const detector = new StopDetector(request.stop)
    const wire = {
      prompt,
      maxTokens: request.maxTokens ?? config.maxTokens,
      stop: config.serverStop ? request.stop : [],
      sampling: toWireSampling(config.sampling, request.sampling, config.dialect),
    }

    let produced = ''
    let events = 0
    let reported: number | undefined
    let finishReason: string | undefined
    let stopReason: string | undefined
    let outcome: GenerateOutcome | undefined
    let iterator: AsyncGenerator<CompletionChunk, void, void> | undefined
    try {
      const opened = await withRetries(
        async () => {
          const stream = config.transport.stream(wire, deadline.signal)
          iterator = stream
          return await stream.next()
        },
        { policy: config.retry, signal: deadline.signal, classify: retryableOverload },
      )
      deadline.firstToken()
      let step = opened
      while (step.done !== true) {
        const chunk = step.value
        if (chunk.text.length > 0) events++
        if (chunk.completionTokens !== undefined) reported = chunk.completionTokens
        if (chunk.finishReason !== undefined) finishReason = chunk.finishReason
        if (chunk.stopReason !== undefined) stopReason = chunk.stopReason
        const scan = detector.push(chunk.text)
        if (scan.text.length > 0) {
          produced += scan.text
          yield scan.text
        }
        if (scan.stop !== undefined) break
        step = await iterator!.next()
      }
      const tokens = reported ?? events
      if (detector.stopped !== undefined) {
        outcome = { reason: 'stop', stop: detector.stopped, tokens }
      } else {
        const tail = detector.flush()
        if (tail.length > 0) {
          produced += tail
          yield tail
        }
        outcome = this.#serverOutcome(finishReason, stopReason, request.stop, tokens)
      }
      return outcome
    } catch (error) {
      const timeout = deadline.timeoutError(server, error)
      if (timeout !== undefined) throw timeout
      if (deadline.cause === 'caller') {
        outcome = { reason: 'aborted', tokens: reported ?? events }
        return outcome
      }
      if (MossError.isInstance(error)) throw error
      throw new BackendError(`${server}: ${describeError(error)}`, { cause: error })
    } finally {
      // Closing the iterator closes the HTTP stream, so the server stops generating past a client-side stop.
      await iterator?.return().catch(() => undefined)
      deadline.dispose()
      this.#busy = undefined
      this.#stats.generated += outcome?.tokens ?? reported ?? events
      const marker = outcome?.reason === 'stop' ? (outcome.stop ?? '') : ''
      this.#setText(prompt + produced + marker)
      // The server has seen the prompt and generated the text; a marker it did not send is new to it.
      this.#serverKnown = prompt.length + produced.length
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    this.#busy?.abort('disposed')
    this.#config.onDispose(this)
    await Promise.resolve()
  }

  /**
   * The server ended the stream itself. Servers do not say which stop string matched (vLLM's `stop_reason` aside);
   * with a single requested marker it is that one (it is also the usual end-of-sequence token: `<eom>`,
   * `<|im_end|>`), otherwise the generation counts as ended by end-of-sequence.
   */
  #serverOutcome(finish: string | undefined, stopReason: string | undefined, stops: readonly string[], tokens: number): GenerateOutcome {
    if (finish !== undefined && LENGTH_REASONS.has(finish)) return { reason: 'max-tokens', tokens }
    if (stopReason !== undefined && stops.includes(stopReason)) return { reason: 'stop', stop: stopReason, tokens }
    if (finish === undefined || STOPPED_REASONS.has(finish)) {
      const only = stops.length === 1 ? stops[0] : undefined
      if (only !== undefined && this.#config.serverStop) return { reason: 'stop', stop: only, tokens }
      return { reason: 'eos', tokens }
    }
    return { reason: 'eos', tokens }
  }

  #setText(text: string): void {
    this.#text = text
    this.#tokenCount = undefined
  }

  #usable(): void {
    if (this.#disposed) throw new BackendError('This session has been disposed')
  }
}
