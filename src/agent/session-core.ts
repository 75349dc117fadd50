import type { ModelSession, PromptPart } from '../backends/types.js'
import { BackendError } from '../errors.js'
import type { DialogueFormat, FormatPlugins, TurnRecord } from '../formats/types.js'
import type { PluginRegistry } from '../plugins/registry.js'

/** What a compression did. */
export interface CompressionReport {
  /** Turns whose plugin results were replaced by their empty form. */
  readonly resultsDropped: number
  /** Oldest turns removed from the transcript altogether. */
  readonly turnsDropped: number
}

/** The state a session starts from (new, or loaded from a file). */
export interface SessionSeed {
  /** Finished turns, oldest first. Defaults to none (a new session). */
  readonly turns?: readonly TurnRecord[]
  /** How many of the oldest `turns` are no longer in the transcript. Defaults to `0`. */
  readonly droppedTurns?: number
  /** Indexes of turns whose results were compressed. Defaults to none. */
  readonly compressedResults?: Iterable<number>
  /** Names of the plugins switched on in this session. */
  readonly enabled: Iterable<string>
}

/** Every registered plugin, its `enabled` flag replaced by the session's switch. */
export function pluginsWithSwitches(registry: PluginRegistry, enabled: ReadonlySet<string>): FormatPlugins {
  return registry.plugins.map((plugin) => ({ ...plugin, enabled: enabled.has(plugin.name) }))
}

/**
 * Renders recorded turns as the format would have sent them: turns before `droppedTurns` are left out and the
 * results of turns in `compressed` (absolute indexes) use the format's empty form.
 */
export function renderRecordedHistory(
  format: DialogueFormat,
  plugins: FormatPlugins,
  turns: readonly TurnRecord[],
  droppedTurns: number,
  compressed: ReadonlySet<number>,
): PromptPart[] {
  const relative = new Set<number>()
  for (const index of compressed) {
    if (index >= droppedTurns) relative.add(index - droppedTurns)
  }
  return format.renderHistory(plugins, turns.slice(droppedTurns), { compressedResults: relative })
}

function samePart(a: PromptPart | undefined, b: PromptPart | undefined): boolean {
  return a !== undefined && b !== undefined && a.text === b.text && a.trusted === b.trusted
}

/**
 * The state of one conversation and the invariant that ties it together: `mirror` is exactly what the model
 * session holds (every appended part, every generation as one trusted part with its stop marker). Every change
 * goes through this class so the two never drift apart.
 */
export class SessionCore {
  /** Finished turns, oldest first (including those trimmed from the context). */
  readonly turns: TurnRecord[]
  /** Turn indexes whose results were replaced by the format's empty form. */
  readonly compressedResults: Set<number>
  /** Plugin names enabled in this session. */
  readonly enabled: Set<string>
  /** How many oldest turns were trimmed from the context (they stay in `turns`). */
  droppedTurns: number
  /** The transcript as sent to the model. */
  mirror: PromptPart[] = []

  constructor(
    readonly model: ModelSession,
    readonly format: DialogueFormat,
    public registry: PluginRegistry,
    seed: SessionSeed,
  ) {
    this.turns = [...(seed.turns ?? [])]
    this.droppedTurns = seed.droppedTurns ?? 0
    this.compressedResults = new Set(seed.compressedResults ?? [])
    this.enabled = new Set(seed.enabled)
  }

  /** The plugins as the format sees them: every registered plugin with this session's enabled flag. */
  plugins(): FormatPlugins {
    return pluginsWithSwitches(this.registry, this.enabled)
  }

  /** Turns still in the context. */
  get liveTurns(): number {
    return this.turns.length - this.droppedTurns
  }

  /** Renders the recorded history (system prefix included) as the format would have sent it. */
  renderHistory(): PromptPart[] {
    return renderRecordedHistory(this.format, this.plugins(), this.turns, this.droppedTurns, this.compressedResults)
  }

  /**
   * For formats whose template renders earlier turns differently from how they were generated (Qwen3 drops their
   * reasoning): brings the transcript to the history as the template renders it. The backend keeps its KV cache up
   * to the first changed token, so only the tail of the last turn is evaluated again.
   */
  async settleHistory(): Promise<void> {
    if (!this.format.rewritesHistory || this.turns.length === 0) return
    const history = this.renderHistory()
    const text = (parts: readonly PromptPart[]): string => parts.map((part) => part.text).join('')
    if (text(history) === text(this.mirror)) return
    await this.replace(history)
  }

  /** Appends parts to the model and the mirror. */
  async append(parts: readonly PromptPart[]): Promise<void> {
    if (parts.length === 0) return
    await this.model.append(parts)
    this.mirror.push(...parts.map((part) => ({ text: part.text, trusted: part.trusted })))
  }

  /** Records a generation the model session already holds. */
  recordGeneration(text: string): void {
    this.mirror.push({ text, trusted: true })
  }

  /** Replaces the last generated part (a format's `rewrite`) and brings the model session in line. */
  async rewriteLast(text: string): Promise<void> {
    const last = this.mirror.at(-1)
    if (!last || last.text === text) return
    this.mirror[this.mirror.length - 1] = { text, trusted: true }
    await this.model.reset(this.mirror)
  }

  /** Replaces the whole transcript. */
  async replace(parts: readonly PromptPart[]): Promise<void> {
    const next = parts.map((part) => ({ text: part.text, trusted: part.trusted }))
    await this.model.reset(next)
    this.mirror = next
  }

  /**
   * Cuts the transcript back to `length` parts (rolls back an unfinished turn). Always resets the model session:
   * after an interrupted generation it may hold text the mirror never saw; `reset` keeps the common prefix.
   */
  async truncate(length: number): Promise<void> {
    await this.replace(this.mirror.slice(0, length))
  }

  /**
   * Re-renders the system prefix after a plugin switch. When the mirror starts with the old prefix only that prefix
   * is swapped (generated text stays byte-exact); otherwise the history is rebuilt from the records.
   */
  async rerenderSystem(previous: readonly PromptPart[]): Promise<void> {
    const startsWithPrevious = previous.every((part, i) => samePart(part, this.mirror[i]))
    const next = startsWithPrevious
      ? [...this.format.renderSystem(this.plugins()), ...this.mirror.slice(previous.length)]
      : this.renderHistory()
    await this.replace(next)
  }

  /**
   * Adopts a new plugin list (a plugin source changed) between turns: tools new to this session get their default
   * switch, tools gone are forgotten, and the system prefix is re-rendered when its text changed. The model session's
   * `reset` keeps the longest common prefix, so the cache is reused up to the first changed token.
   */
  async adoptRegistry(next: PluginRegistry): Promise<void> {
    const previous = this.format.renderSystem(this.plugins())
    const known = new Set(this.registry.plugins.map((plugin) => plugin.name))
    for (const plugin of next.plugins) {
      if (!known.has(plugin.name) && plugin.enabled) this.enabled.add(plugin.name)
    }
    for (const name of [...this.enabled]) {
      if (!next.byName(name)) this.enabled.delete(name)
    }
    this.registry = next
    const rendered = this.format.renderSystem(this.plugins())
    if (rendered.length === previous.length && rendered.every((part, i) => samePart(part, previous[i]))) return
    await this.rerenderSystem(previous)
  }

  /**
   * Makes room for `pending` (parts about to be appended) plus `reserve` generated tokens, when the context size is
   * known. Compresses the results of recorded turns oldest first, then drops whole oldest turns, keeping the
   * current turn's parts (mirror from `turnStart`). Returns what it did and the new `turnStart`, or `undefined`
   * when everything already fits. Throws a {@link BackendError} (`MOSS_ERR_CONTEXT_OVERFLOW`) when even the
   * system prefix plus the current turn do not fit; the transcript is then unchanged.
   */
  async fit(
    turnStart: number,
    pending: readonly PromptPart[],
    reserve: number,
  ): Promise<{ report: CompressionReport; turnStart: number } | undefined> {
    const size = this.model.contextSize
    if (size === undefined) return undefined
    const pendingTokens = pending.length ? this.model.countTokens(pending) : 0
    if (this.model.tokenCount + pendingTokens + reserve <= size) return undefined
    const current = this.mirror.slice(turnStart)
    const need = (history: readonly PromptPart[]): number =>
      this.model.countTokens(history) + this.model.countTokens(current) + pendingTokens + reserve
    const saved = { dropped: this.droppedTurns, compressed: new Set(this.compressedResults) }
    let resultsDropped = 0
    let turnsDropped = 0
    let history = this.renderHistory()
    for (let i = this.droppedTurns; i < this.turns.length && need(history) > size; i++) {
      if (this.compressedResults.has(i)) continue
      this.compressedResults.add(i)
      resultsDropped++
      history = this.renderHistory()
    }
    while (need(history) > size && this.droppedTurns < this.turns.length) {
      this.droppedTurns++
      turnsDropped++
      history = this.renderHistory()
    }
    if (need(history) > size) {
      this.droppedTurns = saved.dropped
      this.compressedResults.clear()
      for (const index of saved.compressed) this.compressedResults.add(index)
      throw new BackendError(
        `The conversation does not fit the context of ${size} tokens even without history`,
        { code: 'MOSS_ERR_CONTEXT_OVERFLOW' },
      )
    }
    // The first check counts the session's real tokens (BOS, tokens as generated); `need` re-counts rendered parts.
    // When the latter already fits, nothing was compressed: no reset, no event.
    if (resultsDropped === 0 && turnsDropped === 0) return undefined
    try {
      await this.replace([...history, ...current])
    } catch (error) {
      this.droppedTurns = saved.dropped
      this.compressedResults.clear()
      for (const index of saved.compressed) this.compressedResults.add(index)
      throw error
    }
    return { report: { resultsDropped, turnsDropped }, turnStart: history.length }
  }
}
