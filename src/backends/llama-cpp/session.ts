import { LlamaGrammarEvaluationState } from 'node-llama-cpp'
import type { Llama, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp'
import { BackendError, ModelLoadError, describeError } from '../../errors.js'
import type { BackendStats, GenerateOutcome, GenerateRequest, PromptPart, SamplingOptions } from '../types.js'
import { planForcedPrefix, type ForcedPrefixPlan } from './forced-prefix.js'
import { jsonSchemaRules } from './json-schema-rules.js'
import { prepareSpanGrammar } from './grammar-span.js'
import { lockstepEvaluate, lockstepPrompt, type LockstepPacing } from './lockstep-evaluate.js'
import { DEFAULT_MAX_TOKENS, MOSS_SAMPLING, type LlamaCppLogger } from './options.js'
import { SIDECAR_VERSION, asTokens, readSidecar, restoreMismatch, writeSidecar } from './state-file.js'
import type { LlamaCppSession, RestoreFallbackReason } from './public-types.js'
import { StopDetector } from '../stop-detector.js'
import { TokenTextDecoder } from './text-decoder.js'
import { commonPrefixLength, type PartTokenizerCache } from './tokenize-parts.js'
import { rebuildTranscript, transcriptTail, type Segment } from './transcript.js'
import { ReleaseWatcher } from './release-watcher.js'
import { TriggerWatcher } from './trigger-watcher.js'

/** Tokens the repetition penalty looks back on (llama.cpp's usual window). */
const REPEAT_WINDOW = 64

/** What a session shares with its backend. */
export interface SessionEnvironment {
  readonly llama: Llama
  readonly model: LlamaModel
  readonly tokenizer: PartTokenizerCache
  readonly modelFingerprint: string
  readonly sampling: SamplingOptions
  readonly grammarEnabled: boolean
  /** Compiled grammars by GBNF text, shared by sessions. */
  readonly grammars: Map<string, Promise<LlamaGrammar>>
  /** Where a restore that falls back to re-evaluation is reported; absent means silent. */
  readonly logger: LlamaCppLogger | undefined
  /** The context's decode rounds and prompt chunk size: generating sessions share each native decode. */
  readonly pacing: Omit<LockstepPacing, 'signal'>
}

/** A conversation on one context sequence. The token transcript is the source of truth; the KV cache follows it. */
export class LlamaCppModelSession implements LlamaCppSession {
  private tokens: Token[] = []
  private segments: Segment[] = []
  private readonly counters: BackendStats = { evaluated: 0, generated: 0, reused: 0 }
  private busy = false
  private disposed = false
  private restored = false
  private readonly bos: Token[]

  constructor(
    private readonly env: SessionEnvironment,
    private readonly sequence: LlamaContextSequence,
    private readonly release: () => void,
  ) {
    const bos = env.model.tokens.bos
    this.bos = bos !== null && env.model.tokens.shouldPrependBosToken ? [bos] : []
    this.tokens = [...this.bos]
  }

  get tokenCount(): number {
    return this.tokens.length
  }

  get contextSize(): number {
    return this.sequence.contextSize
  }

  get stats(): Readonly<BackendStats> {
    return { ...this.counters }
  }

  /**
   * Whether the last `restore` loaded the saved KV state (`false` when it re-evaluates the parts instead, and for a
   * session opened empty).
   */
  get restoredFromState(): boolean {
    return this.restored
  }

  /** The token transcript (a copy), for tests and diagnostics. */
  get transcriptTokens(): readonly Token[] {
    return [...this.tokens]
  }

  countTokens(parts: readonly PromptPart[]): number {
    return this.env.tokenizer.count(parts)
  }

  async append(parts: readonly PromptPart[]): Promise<void> {
    this.ensureUsable()
    const added: { part: PromptPart; tokens: Token[] }[] = parts.map((part) => ({ part, tokens: this.env.tokenizer.tokenize(part) }))
    const total = this.tokens.length + added.reduce((n, a) => n + a.tokens.length, 0)
    if (total > this.contextSize) {
      const message = `Transcript would reach ${total} tokens; the context holds ${this.contextSize}`
      // An empty session that cannot even take its first parts (the meta instruction) is a configuration problem.
      if (this.segments.length === 0) throw new ModelLoadError('context-too-small', `${message}: the context is too small for the system prompt`)
      throw new BackendError(message, { code: 'MOSS_ERR_CONTEXT_OVERFLOW' })
    }
    for (const { part, tokens } of added) this.pushSegment(part.text, part.trusted, tokens)
  }

  async reset(parts: readonly PromptPart[]): Promise<void> {
    this.ensureUsable()
    const next = rebuildTranscript(this.bos, this.tokens, this.segments, parts, (part) => this.env.tokenizer.tokenize(part))
    if (next.tokens.length > this.contextSize) {
      throw new BackendError(`Reset transcript has ${next.tokens.length} tokens; the context holds ${this.contextSize}`, {
        code: 'MOSS_ERR_CONTEXT_OVERFLOW',
      })
    }
    const keep = commonPrefixLength(this.tokens, next.tokens)
    this.counters.reused += Math.min(keep, this.sequence.nextTokenIndex)
    this.tokens = next.tokens
    this.segments = next.segments
    // Erase from the first changed token only; the kept prefix stays in the KV cache.
    if (keep < this.sequence.nextTokenIndex) await this.sequence.eraseContextTokenRanges([{ start: keep, end: this.sequence.nextTokenIndex }])
  }

  async *generate(request: GenerateRequest): AsyncGenerator<string, GenerateOutcome, void> {
    this.ensureUsable()
    if (this.busy) throw new BackendError('This session is already generating', { code: 'MOSS_ERR_SESSION_BUSY' })
    this.busy = true
    try {
      return yield* this.runGeneration(request)
    } finally {
      this.busy = false
    }
  }

  private async *runGeneration(request: GenerateRequest): AsyncGenerator<string, GenerateOutcome, void> {
    const room = this.contextSize - this.tokens.length
    if (room <= 0) throw new BackendError(`The context (${this.contextSize} tokens) is full`, { code: 'MOSS_ERR_CONTEXT_OVERFLOW' })
    if (this.tokens.length === 0) throw new BackendError('Nothing to generate from: append a prompt first')
    const limit = Math.min(request.maxTokens ?? DEFAULT_MAX_TOKENS, room)
    if (request.signal?.aborted) return { reason: 'aborted', tokens: 0 }

    const span = request.constrain !== undefined && this.env.grammarEnabled ? await this.prepareSpan(request) : undefined
    let grammarState: LlamaGrammarEvaluationState | undefined
    const watcher = span ? new TriggerWatcher(span.trigger, transcriptTail(this.segments, span.trigger.length)) : undefined
    const release = new ReleaseWatcher(span ? request.constrain?.releaseWhen : undefined)
    // A span engaged from the start has its fixed opening text appended in one batch rather than sampled (see
    // forced-prefix.ts); the grammar continues after it. A span that is all fixed text is appended whole: nothing is sampled.
    let forced: ForcedPrefixPlan | undefined
    if (span && watcher?.triggered) {
      const tokenize = (text: string): Token[] => this.env.tokenizer.tokenize({ text, trusted: true })
      forced = planForcedPrefix(span.gbnf, tokenize, (tokens) => this.env.model.detokenize(tokens, true), request.stop, limit, span.closingMarker)
      const grammar = forced ? await this.compileGrammar(forced.gbnf) : span.grammar
      grammarState = new LlamaGrammarEvaluationState({ model: this.env.model, grammar })
    }
    const sampling = { ...MOSS_SAMPLING, ...this.env.sampling, ...request.sampling }
    const detector = new StopDetector(request.stop)
    const decoder = new TokenTextDecoder(this.env.model)
    const start = this.tokens.length
    let emitted = ''
    let outcome: GenerateOutcome | undefined = forced?.closes !== undefined ? { reason: 'stop', stop: forced.closes, tokens: forced.tokens.length } : undefined
    let count = forced?.tokens.length ?? 0
    let forcedText = ''
    for (const token of forced?.tokens ?? []) {
      this.tokens.push(token)
      forcedText += decoder.push(token)
    }
    // Forced tokens are output of this generation (generated, not prompt), though they are evaluated with the input.
    this.counters.generated += count
    const input = await this.syncCache()
    this.counters.evaluated += input.length - (forced?.tokens.length ?? 0)
    if (forcedText) {
      if (release.push(forcedText)) grammarState = undefined
      const scan = detector.push(forcedText)
      if (scan.text) {
        emitted += scan.text
        yield scan.text
      }
    }
    const pacing = { ...this.env.pacing, signal: request.signal }
    const iterator = forced?.closes !== undefined ? undefined : lockstepEvaluate(this.sequence, input, {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      seed: sampling.seed,
      repeatPenalty:
        sampling.repeatPenalty !== undefined && sampling.repeatPenalty !== 1
          ? { penalty: sampling.repeatPenalty, punishTokens: () => this.tokens.slice(-REPEAT_WINDOW) }
          : undefined,
      grammarEvaluationState: () => grammarState,
      // End-of-generation tokens are yielded so that a control-token marker (`<eoc>`) is seen and recorded.
      yieldEogToken: true,
    }, pacing)
    try {
      if (forced?.closes !== undefined) await lockstepPrompt(this.sequence, input.slice(0, -1), pacing)
      for await (const token of iterator ?? []) {
        this.tokens.push(token)
        this.counters.generated++
        count++
        if (this.env.model.isEogToken(token)) {
          // An end-of-generation token is a stop when its text is a marker (`<eoc>` as a control token), or when it
          // closes a grammar whose EOG marker was cut; otherwise it is a plain end (its text, e.g. `</s>`, is not shown).
          const text = this.env.model.detokenize([token], true)
          const held = detector.flush() + decoder.flush()
          const marker = request.stop.find((m) => m === text)
          if (held) {
            emitted += held
            yield held
          }
          // A completed span grammar lets every EOG token through (`<eoc>`, `<eom>`, `</s>`): whichever one was sampled,
          // it stands for the marker cut from the grammar, so it is checked before the other stop markers.
          if (grammarState !== undefined && span?.closingMarker !== undefined) {
            this.replaceTail(this.tokens.length - 1, span.closingMarker)
            outcome = { reason: 'stop', stop: span.closingMarker, tokens: count }
          } else if (marker !== undefined) outcome = { reason: 'stop', stop: marker, tokens: count }
          else outcome = { reason: 'eos', tokens: count }
          break
        }
        const text = decoder.push(token)
        // Once the span's first characters have chosen free text (an answer, not a call), the rest goes without it.
        if (grammarState !== undefined && release.push(text)) grammarState = undefined
        else if (watcher && !watcher.triggered && watcher.push(text) && span) {
          grammarState = new LlamaGrammarEvaluationState({ model: this.env.model, grammar: span.grammar })
        }
        const scan = detector.push(text)
        if (scan.text) {
          emitted += scan.text
          yield scan.text
        }
        if (scan.stop !== undefined) {
          this.canonicalizeMarker(start, emitted, scan.stop, scan.overflow ?? '')
          outcome = { reason: 'stop', stop: scan.stop, tokens: count }
          break
        }
        if (request.signal?.aborted) {
          outcome = { reason: 'aborted', tokens: count }
          break
        }
        if (count >= limit) {
          outcome = { reason: 'max-tokens', tokens: count }
          break
        }
      }
    } catch (error) {
      throw new BackendError(`Generation failed: ${describeError(error)}`, { cause: error })
    } finally {
      // Record what was generated even when the consumer stopped early (return() on this generator).
      const end = this.tokens.length
      if (end > start) {
        const text = this.env.model.detokenize(this.tokens.slice(start), true, this.tokens.slice(Math.max(0, start - 8), start))
        this.segments.push({ text, trusted: true, start, end })
      }
    }
    if (outcome === undefined && request.signal?.aborted) outcome = { reason: 'aborted', tokens: count }
    if (outcome === undefined) {
      const rest = detector.flush() + decoder.flush()
      if (rest) yield rest
      outcome = { reason: 'eos', tokens: count }
    } else if (outcome.reason !== 'stop' && outcome.reason !== 'eos') {
      const rest = detector.flush()
      if (rest) yield rest
    }
    return outcome
  }

  /**
   * When a marker that exists as a special token was spelled with plain tokens (a grammar literal, or chance), the
   * transcript is rewritten to the marker's trusted tokenization so that it matches what `reset` and a restored
   * session would produce. Only possible when the marker starts on a token boundary and nothing ran past it.
   */
  private canonicalizeMarker(start: number, emitted: string, marker: string, overflow: string): void {
    if (overflow.length > 0) return
    const canonical = this.env.tokenizer.tokenize({ text: marker, trusted: true })
    for (let k = this.tokens.length - 1; k >= start; k--) {
      const before = this.env.model.detokenize(this.tokens.slice(start, k), true)
      if (before.length < emitted.length) return
      if (before === emitted) {
        const current = this.tokens.slice(k)
        if (current.length !== canonical.length || current.some((t, i) => t !== canonical[i])) this.tokens.splice(k, current.length, ...canonical)
        return
      }
    }
  }

  private replaceTail(from: number, marker: string): void {
    this.tokens.splice(from, this.tokens.length - from, ...this.env.tokenizer.tokenize({ text: marker, trusted: true }))
  }

  /**
   * Aligns the KV cache with the transcript and returns the tokens to evaluate: everything after the first
   * differing token, at least one (the held-back last token after a stop, or the last token re-run).
   */
  private async syncCache(): Promise<Token[]> {
    let common = commonPrefixLength(this.sequence.contextTokens, this.tokens)
    if (common >= this.tokens.length) common = this.tokens.length - 1
    if (common < this.sequence.nextTokenIndex) await this.sequence.eraseContextTokenRanges([{ start: common, end: this.sequence.nextTokenIndex }])
    return this.tokens.slice(common)
  }

  private async prepareSpan(request: GenerateRequest): Promise<{ trigger: string; gbnf: string; grammar: LlamaGrammar; closingMarker?: string } | undefined> {
    const constrain = request.constrain
    if (constrain === undefined) return undefined
    const eogMarkers = request.stop.filter((marker) => {
      const tokens = this.env.tokenizer.tokenize({ text: marker, trusted: true })
      return tokens.length === 1 && this.env.model.isEogToken(tokens[0] as Token)
    })
    const schemaRules = constrain.jsonSchemas !== undefined ? `\n${jsonSchemaRules(this.env.llama, constrain.jsonSchemas)}\n` : ''
    const prepared = prepareSpanGrammar(`${constrain.gbnf.trimEnd()}${schemaRules}`, eogMarkers)
    return { trigger: constrain.trigger, gbnf: prepared.gbnf, grammar: await this.compileGrammar(prepared.gbnf), closingMarker: prepared.closingMarker }
  }

  /** Compiles a grammar once per backend (shared by its sessions). */
  private async compileGrammar(gbnf: string): Promise<LlamaGrammar> {
    let grammar = this.env.grammars.get(gbnf)
    if (grammar === undefined) {
      grammar = this.env.llama.createGrammar({ grammar: gbnf })
      this.env.grammars.set(gbnf, grammar)
    }
    try {
      return await grammar
    } catch (error) {
      this.env.grammars.delete(gbnf)
      throw new BackendError(`Invalid span grammar: ${describeError(error)}`, { cause: error })
    }
  }

  async saveState(path: string): Promise<void> {
    this.ensureUsable()
    await this.sequence.saveStateToFile(path)
    await writeSidecar(path, {
      version: SIDECAR_VERSION,
      model: this.env.modelFingerprint,
      contextSize: this.contextSize,
      sequences: this.sequence.context.totalSequences,
      cachedTokens: this.sequence.nextTokenIndex,
      tokens: this.tokens,
      segments: this.segments,
    })
  }

  /**
   * Restores a saved state when the sidecar matches this model, context shape (size and sequence count) and the given
   * parts; otherwise the parts are appended and evaluated at the next generation, and the fallback is reported to the
   * backend's logger. Returns whether the KV state was loaded (also kept in {@link restoredFromState}).
   */
  async restore(statePath: string, parts: readonly PromptPart[]): Promise<boolean> {
    const sidecar = await readSidecar(statePath)
    const sequences = this.sequence.context.totalSequences
    let reason: RestoreFallbackReason | undefined = restoreMismatch(sidecar, {
      model: this.env.modelFingerprint,
      contextSize: this.contextSize,
      sequences,
      parts,
    })
    let loadError: unknown
    if (reason === undefined && sidecar !== undefined) {
      try {
        await this.sequence.loadStateFromFile(statePath, { acceptRisk: true })
        const cached = asTokens(sidecar.tokens.slice(0, sidecar.cachedTokens))
        if (commonPrefixLength(this.sequence.contextTokens, cached) === cached.length) {
          this.tokens = asTokens([...sidecar.tokens])
          this.segments = [...sidecar.segments]
          this.counters.reused += this.sequence.nextTokenIndex
          this.restored = true
          return true
        }
        reason = 'cache-mismatch'
      } catch (error) {
        // A state that does not load is only a lost optimisation: re-evaluate, but say so.
        reason = 'load-failed'
        loadError = error
      }
      await this.sequence.clearHistory()
    }
    this.env.logger?.warn('The saved KV state was not restored; the session re-evaluates its transcript', {
      statePath,
      reason,
      ...(reason === 'sequences' ? { savedSequences: sidecar?.sequences, sequences } : {}),
      ...(reason === 'context-size' ? { savedContextSize: sidecar?.contextSize, contextSize: this.contextSize } : {}),
      ...(loadError !== undefined ? { error: describeError(loadError) } : {}),
    })
    this.restored = false
    this.tokens = [...this.bos]
    this.segments = []
    await this.append(parts)
    return false
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    try {
      if (!this.sequence.disposed) await this.sequence.dispose()
    } finally {
      this.release()
    }
  }

  private pushSegment(text: string, trusted: boolean, tokens: readonly Token[]): void {
    const start = this.tokens.length
    this.tokens.push(...tokens)
    this.segments.push({ text, trusted, start, end: this.tokens.length })
  }

  private ensureUsable(): void {
    if (this.disposed || this.sequence.disposed) throw new BackendError('The model session is disposed')
  }
}
