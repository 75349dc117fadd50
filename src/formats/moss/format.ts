/**
 * The MOSS dialogue format (the default): meta instruction with plugin switch lines, `<|Human|>:` … `<eom>` turns,
 * `Name("argument")` commands and the results block, byte-exact to MOSS's SFT data.
 */
import type { PromptPart } from '../../prompt.js'
import type { DialogueFormat, FormatOptions, FormatPlugins, TurnRecord } from '../types.js'
import { renderMossMeta } from './meta.js'
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
      const driver = createMossTurnDriver({
        human,
        plugins,
        previous,
        ...(options.constrainCommands !== undefined ? { constrainCommands: options.constrainCommands } : {}),
      })
      return { parts: humanParts(human, withPlugins), driver }
    },
    renderHistory(plugins: FormatPlugins, turns: readonly TurnRecord[], history?: { readonly compressedResults?: ReadonlySet<number> }): PromptPart[] {
      const parts = this.renderSystem(plugins)
      turns.forEach((turn, index) => parts.push(...recordParts(turn, history?.compressedResults?.has(index) ?? false)))
      return parts
    },
  }
}
