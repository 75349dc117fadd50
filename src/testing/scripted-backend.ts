import type { GenerateRequest, ModelBackend, ModelInfo, OpenSessionOptions, PromptPart } from '../backends/types.js'
import { createSeededRandom } from './seeded-random.js'
import { ScriptedSession } from './scripted-session.js'
import type { ScriptedOutput } from './scripted-output.js'

/** Options of {@link ScriptedBackend}. */
export interface ScriptedBackendOptions {
  /** Code points per streamed chunk; `'random'` picks 1–8 per chunk from `seed`. Defaults to `4`. */
  readonly chunkSize?: number | 'random'
  /** Seed of the `'random'` chunking. Defaults to `1`. */
  readonly seed?: number
  /**
   * Context window in approximate tokens (one token per 4 code points, see `approxTokens`); appends beyond it throw
   * a `BackendError` with code `MOSS_ERR_CONTEXT_OVERFLOW`. Defaults to `undefined` (unknown, unlimited).
   */
  readonly contextSize?: number
  /** What the backend reports about its model (for `format: 'auto'`). Defaults to none. */
  readonly modelInfo?: ModelInfo
  /** Whether sessions implement `saveState` (writing their transcript as JSON). Defaults to `true`. */
  readonly saveState?: boolean
}

/**
 * A fake model for tests: each `generate` (of any session) streams the next scripted output.
 *
 * - Output is streamed in chunks of `chunkSize` code points and stops at the first requested stop marker it
 *   contains: the marker is not yielded but becomes part of the transcript, and the outcome is `stop`.
 *   An output without a requested marker ends with `eos`.
 * - `maxTokens` and the context size cut the output (`max-tokens`); an aborted signal ends it (`aborted`).
 * - A scripted `Error` is thrown by `generate`.
 * - Tokens are approximate: one per 4 code points, rounded up, counted part by part.
 * - Everything appended and generated is recorded; {@link ScriptedBackend.prompt} is the transcript of the newest
 *   session, with each generation as one trusted part (stop marker included).
 */
export class ScriptedBackend implements ModelBackend {
  /** Shown in logs. */
  readonly description = 'scripted backend (tests)'
  /** From the options: what `format: 'auto'` reads. */
  readonly modelInfo?: ModelInfo
  /** Every session opened, oldest first. */
  readonly sessions: ScriptedSession[] = []
  /** Every generate request, in order. */
  readonly requests: GenerateRequest[] = []
  /** Every generated part (text plus stop marker), in order. */
  readonly generations: string[] = []
  private readonly outputs: ScriptedOutput[]
  private readonly host: ConstructorParameters<typeof ScriptedSession>[0]
  private disposed = false

  constructor(outputs: readonly ScriptedOutput[] = [], options: ScriptedBackendOptions = {}) {
    if (options.modelInfo) this.modelInfo = options.modelInfo
    this.outputs = [...outputs]
    this.host = {
      nextOutput: () => this.outputs.shift(),
      recordRequest: (request) => this.requests.push(request),
      recordGeneration: (text) => this.generations.push(text),
      chunkSize: options.chunkSize ?? 4,
      random: createSeededRandom(options.seed ?? 1),
      contextSize: options.contextSize,
      saveState: options.saveState ?? true,
    }
  }

  /** Adds outputs at the end of the script. */
  push(...outputs: ScriptedOutput[]): void {
    this.outputs.push(...outputs)
  }

  /** Outputs not consumed yet. */
  get remaining(): number {
    return this.outputs.length
  }

  /** The transcript of the newest session (empty before any session was opened). */
  get prompt(): PromptPart[] {
    return [...(this.sessions.at(-1)?.transcript ?? [])]
  }

  /** The newest session's transcript as one string. */
  get text(): string {
    return this.prompt.map((part) => part.text).join('')
  }

  /** Whether `dispose` was called. */
  get isDisposed(): boolean {
    return this.disposed
  }

  /** Opens a session that plays the shared script; restores a saved one when `options.restore` is set. */
  async open(options: OpenSessionOptions = {}): Promise<ScriptedSession> {
    const session = new ScriptedSession(this.host)
    if (options.restore) await session.restore(options.restore.statePath, options.restore.parts)
    this.sessions.push(session)
    return session
  }

  /** Disposes every session it opened; `isDisposed` turns `true`. */
  async dispose(): Promise<void> {
    this.disposed = true
    await Promise.all(this.sessions.map((session) => session.dispose()))
  }
}
