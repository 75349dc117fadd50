import { readFile, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BackendStats, GenerateOutcome, GenerateRequest, ModelSession, PromptPart } from '../backends/types.js'
import { StopDetector } from '../backends/stop-detector.js'
import { BackendError } from '../errors.js'
import { CHARS_PER_TOKEN, approxPartTokens, approxTokens } from './approx-tokens.js'
import { splitChunks, toStep } from './scripted-output.js'
import type { ScriptedOutput } from './scripted-output.js'

/** What a scripted session needs from its backend. */
export interface ScriptedSessionHost {
  /** Takes the next scripted output, or `undefined` when the script is exhausted. */
  nextOutput(): ScriptedOutput | undefined
  /** Records a request. */
  recordRequest(request: GenerateRequest): void
  /** Records a generated part. */
  recordGeneration(text: string): void
  readonly chunkSize: number | 'random'
  readonly random: () => number
  readonly contextSize: number | undefined
  readonly saveState: boolean
}

const STATE_KIND = 'scripted-backend-state'

/**
 * A {@link ModelSession} that replays a script. The transcript is kept as parts; generated text becomes one
 * trusted part (stop marker included), exactly as the {@link ModelSession} contract describes for `reset`.
 */
export class ScriptedSession implements ModelSession {
  /** Everything appended and generated, in order. */
  readonly transcript: PromptPart[] = []
  /** True when the session was opened from a state file written by `saveState`. */
  restoredFromState = false
  private readonly counters: BackendStats = { evaluated: 0, generated: 0, reused: 0 }
  private disposed = false
  private busy = false

  constructor(private readonly host: ScriptedSessionHost) {}

  get stats(): Readonly<BackendStats> {
    return { ...this.counters }
  }

  get tokenCount(): number {
    return approxPartTokens(this.transcript)
  }

  get contextSize(): number | undefined {
    return this.host.contextSize
  }

  /** Whether `dispose` was called. */
  get isDisposed(): boolean {
    return this.disposed
  }

  countTokens(parts: readonly PromptPart[]): number {
    return approxPartTokens(parts)
  }

  async append(parts: readonly PromptPart[]): Promise<void> {
    this.assertUsable()
    const added = approxPartTokens(parts)
    this.assertFits(this.tokenCount + added)
    for (const part of parts) this.transcript.push({ text: part.text, trusted: part.trusted })
    this.counters.evaluated += added
  }

  async reset(parts: readonly PromptPart[]): Promise<void> {
    this.assertUsable()
    this.assertFits(approxPartTokens(parts))
    let common = 0
    while (
      common < parts.length &&
      common < this.transcript.length &&
      parts[common]?.text === this.transcript[common]?.text &&
      parts[common]?.trusted === this.transcript[common]?.trusted
    ) {
      common++
    }
    this.counters.reused += approxPartTokens(parts.slice(0, common))
    this.counters.evaluated += approxPartTokens(parts.slice(common))
    this.transcript.length = 0
    for (const part of parts) this.transcript.push({ text: part.text, trusted: part.trusted })
  }

  async *generate(request: GenerateRequest): AsyncGenerator<string, GenerateOutcome, void> {
    this.assertUsable()
    if (this.busy) throw new BackendError('Scripted session: generate called while another generation runs', { code: 'MOSS_ERR_SESSION_BUSY' })
    this.host.recordRequest(request)
    const output = this.host.nextOutput()
    if (output === undefined) throw new BackendError('Scripted backend: the script has no more outputs')
    if (output instanceof Error) throw output
    const step = toStep(output)
    // The same detector as the real backends, so scripted and real stops agree (earliest marker, longer on a tie).
    const { stop, text: beforeStop } = new StopDetector(request.stop).push(step.text)
    let visible = stop !== undefined ? beforeStop : step.text
    let reason: GenerateOutcome['reason'] = stop ? 'stop' : 'eos'
    const room = this.host.contextSize === undefined ? Infinity : this.host.contextSize - this.tokenCount
    const limit = Math.min(request.maxTokens ?? 512, room)
    if (limit <= 0) throw new BackendError('Scripted session: context is full', { code: 'MOSS_ERR_CONTEXT_OVERFLOW' })
    if (approxTokens(visible) > limit) {
      visible = Array.from(visible).slice(0, limit * CHARS_PER_TOKEN).join('')
      reason = 'max-tokens'
    }
    let yielded = ''
    let completed = false
    this.busy = true
    try {
      for (const chunk of splitChunks(visible, this.host.chunkSize, this.host.random)) {
        if (step.chunkDelayMs) await sleep(step.chunkDelayMs)
        if (request.signal?.aborted) return this.outcome('aborted', yielded)
        yielded += chunk
        yield chunk
      }
      if (step.hang) {
        await waitForAbort(request.signal)
        return this.outcome('aborted', yielded)
      }
      if (request.signal?.aborted) return this.outcome('aborted', yielded)
      completed = true
      const outcome = this.outcome(reason, yielded)
      return stop !== undefined && reason === 'stop' ? { ...outcome, stop } : outcome
    } finally {
      this.busy = false
      // The marker belongs to the transcript (the next append follows it), like a real engine's KV cache.
      const text = completed && reason === 'stop' && stop !== undefined ? yielded + stop : yielded
      this.transcript.push({ text, trusted: true })
      this.counters.generated += approxTokens(yielded)
      this.host.recordGeneration(text)
    }
  }

  async saveState(path: string): Promise<void> {
    this.assertUsable()
    if (!this.host.saveState) return
    await writeFile(path, JSON.stringify({ kind: STATE_KIND, parts: this.transcript }), 'utf8')
  }

  /** Restores from a state file when it matches `parts`, otherwise evaluates `parts`. */
  async restore(statePath: string, parts: readonly PromptPart[]): Promise<void> {
    let saved: PromptPart[] | undefined
    try {
      const data = JSON.parse(await readFile(statePath, 'utf8')) as { kind?: unknown; parts?: unknown }
      if (data.kind === STATE_KIND && Array.isArray(data.parts)) saved = data.parts as PromptPart[]
    } catch {
      saved = undefined
    }
    if (saved && saved.map((p) => p.text).join('') === parts.map((p) => p.text).join('')) {
      for (const part of parts) this.transcript.push({ text: part.text, trusted: part.trusted })
      this.counters.reused += approxPartTokens(parts)
      this.restoredFromState = true
      return
    }
    await this.reset(parts)
  }

  async dispose(): Promise<void> {
    this.disposed = true
  }

  private outcome(reason: GenerateOutcome['reason'], text: string): GenerateOutcome {
    return { reason, tokens: approxTokens(text) }
  }

  private assertUsable(): void {
    if (this.disposed) throw new BackendError('Scripted session is disposed')
  }

  private assertFits(tokens: number): void {
    const size = this.host.contextSize
    if (size !== undefined && tokens > size) {
      throw new BackendError(`Scripted session: ${tokens} tokens exceed the context of ${size}`, {
        code: 'MOSS_ERR_CONTEXT_OVERFLOW',
      })
    }
  }
}

function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return // no signal: hangs for good, which is what the script asked for
    if (signal.aborted) return resolve()
    signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
