/**
 * The MOSS dialogue format (the default): meta instruction with plugin switch lines, `<|Human|>:` … `<eom>` turns,
 * `Name("argument")` commands and the results block, byte-exact to MOSS's SFT data.
 */
import type { PromptPart } from '../../prompt.js'
import type { DialogueFormat, FormatOptions, FormatPlugins, StepDecision, TurnDriver, TurnRecord } from '../types.js'
import { renderMossMeta } from './meta.js'
import { mossNames, renameCall, renameRecord, renameResult, type MossNames } from './names.js'
import { humanParts, recordParts } from './turn-parts.js'
import { createMossTurnDriver } from './turn-driver.js'

/** Options of {@link createMossFormat}: the shared {@link FormatOptions} plus a replacement base text. */
export interface MossFormatOptions extends FormatOptions {
  /** Replaces the packaged meta instruction base text (everything before the switch lines). Defaults to the packaged prompt. */
  readonly metaBase?: string
}

/** Creates the MOSS format. Reads the meta instruction from `prompts/` once, at construction. */
export function createMossFormat(options: MossFormatOptions = {}): DialogueFormat {
  const metaOptions = {
    ...(options.language !== undefined ? { language: options.language } : {}),
    ...(options.date !== undefined ? { date: options.date } : {}),
    ...(options.metaBase !== undefined ? { base: options.metaBase } : {}),
  }
  // Fail at construction (ConfigError) rather than at the first turn when the prompt file is missing.
  renderMossMeta([], metaOptions)
  return {
    name: 'moss',
    renderSystem(plugins: FormatPlugins): PromptPart[] {
      return [{ text: renderMossMeta(plugins, metaOptions), trusted: true }]
    },
    beginTurn(human: string, plugins: FormatPlugins, previous: number) {
      const withPlugins = plugins.some((p) => p.enabled)
      const names = mossNames(plugins)
      const inner = createMossTurnDriver({
        human,
        plugins: names.plugins,
        previous,
        ...(options.constrainCommands !== undefined ? { constrainCommands: options.constrainCommands } : {}),
      })
      return { parts: humanParts(human, withPlugins), driver: names.renamed ? renamingDriver(inner, names) : inner }
    },
    renderHistory(plugins: FormatPlugins, turns: readonly TurnRecord[], history?: { readonly compressedResults?: ReadonlySet<number> }): PromptPart[] {
      const parts = this.renderSystem(plugins)
      const names = mossNames(plugins)
      turns.forEach((turn, index) => parts.push(...recordParts(renameRecord(turn, names.toMoss), history?.compressedResults?.has(index) ?? false)))
      return parts
    },
  }
}

/**
 * The driver MOSS runs speaks MOSS commands (`get_sum`); the agent and the plugin registry speak plugin commands
 * (`get-sum`). Calls going out and records are mapped back, results coming in are mapped to MOSS commands.
 */
function renamingDriver(inner: TurnDriver, names: MossNames): TurnDriver {
  const out = (decision: StepDecision): StepDecision =>
    decision.type === 'calls'
      ? {
          ...decision,
          calls: decision.calls.map((c) => renameCall(c, names.fromMoss)),
          rejected: decision.rejected.map((r) => renameResult(r, names.fromMoss)),
        }
      : decision
  return {
    firstStep: inner.firstStep,
    afterGeneration: (text, outcome) => out(inner.afterGeneration(text, outcome)),
    results: (results) => inner.results(results.map((r) => renameResult(r, names.toMoss))),
    record: () => renameRecord(inner.record(), names.fromMoss),
  }
}
