/**
 * A pass-through {@link ModelBackend} that records what is asked of every session it opens (appends, resets,
 * generations with the tokens each evaluated, state saves), for tests and benchmarks. It only observes: every call
 * reaches the wrapped backend unchanged, `saveState` included when the wrapped session has one.
 */
import type {
  BackendStats,
  GenerateOutcome,
  GenerateRequest,
  ModelBackend,
  ModelSession,
  OpenSessionOptions,
  PromptPart,
} from '../backends/types.js'

/** One call made to a recorded session, in order. `evaluated`: tokens that generation ran through the model. */
export type RecordedCall =
  | { readonly kind: 'append'; readonly parts: readonly PromptPart[] }
  | { readonly kind: 'reset'; readonly parts: readonly PromptPart[] }
  | {
      readonly kind: 'generate'
      readonly request: GenerateRequest
      readonly evaluated: number
      /** `undefined` when the generation threw or was abandoned before it returned. */
      readonly outcome: GenerateOutcome | undefined
    }
  | { readonly kind: 'save-state'; readonly path: string }

/**
 * Wraps one generation (e.g. to time it); must pass every chunk and the outcome through and close `inner` when it is
 * closed early.
 */
export type GenerationObserver = (
  session: ModelSession,
  request: GenerateRequest,
  inner: AsyncGenerator<string, GenerateOutcome, void>,
) => AsyncGenerator<string, GenerateOutcome, void>

const copyParts = (parts: readonly PromptPart[]): PromptPart[] => parts.map((part) => ({ text: part.text, trusted: part.trusted }))

/** A session that logs every call and delegates to `inner`. */
export class RecordingSession<S extends ModelSession = ModelSession> implements ModelSession {
  readonly log: RecordedCall[] = []
  /** Present exactly when the wrapped session can save its state. */
  readonly saveState?: (path: string) => Promise<void>

  constructor(
    readonly inner: S,
    private readonly observe?: GenerationObserver,
  ) {
    const save = inner.saveState?.bind(inner)
    if (save !== undefined) {
      this.saveState = (path: string) => {
        this.log.push({ kind: 'save-state', path })
        return save(path)
      }
    }
  }

  get tokenCount(): number {
    return this.inner.tokenCount
  }

  get contextSize(): S['contextSize'] {
    return this.inner.contextSize
  }

  get stats(): Readonly<BackendStats> {
    return this.inner.stats
  }

  countTokens(parts: readonly PromptPart[]): number {
    return this.inner.countTokens(parts)
  }

  async append(parts: readonly PromptPart[]): Promise<void> {
    this.log.push({ kind: 'append', parts: copyParts(parts) })
    await this.inner.append(parts)
  }

  async reset(parts: readonly PromptPart[]): Promise<void> {
    this.log.push({ kind: 'reset', parts: copyParts(parts) })
    await this.inner.reset(parts)
  }

  async *generate(request: GenerateRequest): AsyncGenerator<string, GenerateOutcome, void> {
    const before = this.inner.stats.evaluated
    let outcome: GenerateOutcome | undefined
    const inner = this.inner.generate(request)
    try {
      outcome = yield* this.observe ? this.observe(this.inner, request, inner) : inner
      return outcome
    } finally {
      this.log.push({ kind: 'generate', request, evaluated: this.inner.stats.evaluated - before, outcome })
    }
  }

  dispose(): Promise<void> {
    return this.inner.dispose()
  }
}

/** Options of {@link RecordingBackend}. */
export interface RecordingBackendOptions {
  /** Wraps every generation of every session. Defaults to none. */
  readonly observe?: GenerationObserver
}

/**
 * A backend seen through {@link RecordingSession}s (`sessions`, in the order opened). Disposing it disposes the
 * sessions it opened and leaves the wrapped backend to its owner.
 */
export class RecordingBackend<S extends ModelSession = ModelSession> implements ModelBackend {
  readonly sessions: RecordingSession<S>[] = []

  constructor(
    readonly inner: { readonly description: string; open(options?: OpenSessionOptions): Promise<S> },
    private readonly options: RecordingBackendOptions = {},
  ) {}

  get description(): string {
    return this.inner.description
  }

  async open(options?: OpenSessionOptions): Promise<RecordingSession<S>> {
    const session = new RecordingSession(await this.inner.open(options), this.options.observe)
    this.sessions.push(session)
    return session
  }

  async dispose(): Promise<void> {
    await Promise.all(this.sessions.map((session) => session.dispose()))
  }
}
