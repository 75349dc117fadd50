/**
 * Times every generation of contender (b): passed as the `observe` hook of the RecordingBackend that wraps the real
 * local backend, so it only observes (every call, `saveState` included, reaches the backend unchanged).
 */
import type { GenerateOutcome, GenerateRequest, ModelSession } from '../src/backends/types.js'
import type { GenerationSample, ResumeSample } from './metrics.js'

/** Collects samples; the runner sets `turn` and `turnStart` before each turn and `resumeNext` never (see below). */
export class GenerationRecorder {
  turn = 0
  turnStart = 0
  /** Time of the turn's first generated chunk, relative to `turnStart`. */
  ttftMs: number | undefined
  readonly generations: GenerationSample[] = []
  readonly resumes: ResumeSample[] = []
  /** Turns (0-based) whose second generation follows tool results. */
  toolTurns = new Set<number>()
  private generationsThisTurn = 0
  /** Transcript length right after the previous generation. */
  private tokensAfterLast: number | undefined

  beginTurn(turn: number): void {
    this.turn = turn
    this.turnStart = performance.now()
    this.ttftMs = undefined
    this.generationsThisTurn = 0
  }

  /** Wraps a session's generate. */
  async *observe(session: ModelSession, request: GenerateRequest, inner: AsyncGenerator<string, GenerateOutcome, void>): AsyncGenerator<string, GenerateOutcome, void> {
    const evaluatedBefore = session.stats.evaluated
    const tokensBefore = session.tokenCount
    const kind = this.generationsThisTurn === 0 ? 'first' : 'answer'
    this.generationsThisTurn++
    const started = performance.now()
    let first: number | undefined
    let outcome: GenerateOutcome | undefined
    try {
      for (;;) {
        const next = await inner.next()
        if (first === undefined) {
          first = performance.now()
          this.ttftMs ??= first - this.turnStart
        }
        if (next.done) {
          outcome = next.value
          return next.value
        }
        yield next.value
      }
    } finally {
      if (outcome === undefined) await inner.return({ reason: 'aborted', tokens: 0 })
      const end = performance.now()
      const evaluated = session.stats.evaluated - evaluatedBefore
      const tokens = outcome?.tokens ?? 0
      this.generations.push({ turn: this.turn, kind, evaluated, tokens, firstTokenMs: (first ?? end) - started, decodeMs: end - (first ?? end) })
      if (kind === 'answer' && this.toolTurns.has(this.turn) && this.generationsThisTurn === 2) {
        const appended = this.tokensAfterLast === undefined ? undefined : tokensBefore - this.tokensAfterLast + 1
        this.resumes.push({ turn: this.turn, evaluated, appended })
      }
      this.tokensAfterLast = session.tokenCount
      void request
    }
  }
}
