/**
 * Renders generated dialogues with the project's own MOSS format (so training text and run-time prompts cannot
 * drift) and marks the parts the model is trained to produce.
 */
import type { DialogueFormat } from '../../src/formats/types.js'
import { MOSS_END, MOSS_ROLE } from '../../src/formats/moss/index.js'
import { definePlugin } from '../../src/plugins/define-plugin.js'
import type { Plugin } from '../../src/plugins/types.js'
import { COMMANDS, pluginSet, type Dialogue } from './generator/dialogue.js'
import type { MossCommand } from './generator/types.js'

/** A prompt part plus whether the model generates it at run time (the loss is computed on those only). */
export interface TrainingPart {
  readonly text: string
  readonly trusted: boolean
  readonly target: boolean
}

const NAMES: Record<MossCommand, string> = {
  Search: 'search',
  Calculate: 'calculator',
  Solve: 'equation-solver',
  Text2Image: 'text-to-image',
}

/** A plugin with a built-in command: MOSS's meta instruction depends only on the command and the enabled flag. */
export function stubPlugin(command: MossCommand, enabled: boolean): Plugin {
  return definePlugin({ name: NAMES[command], command, description: command, enabled, run: () => '' })
}

/** The parts of a dialogue; generated parts are the ones that begin with a space after a prefill marker. */
export function dialogueParts(format: DialogueFormat, d: Dialogue): TrainingPart[] {
  const plugins = pluginSet(d.enabled, stubPlugin)
  const parts = format.renderHistory(plugins, d.turns, { compressedResults: d.compressed })
  const generated = new Set<string>()
  for (const [i, t] of d.turns.entries()) {
    generated.add(` ${t.thought}${MOSS_END.thought}\n${MOSS_ROLE.commands} ${t.commands}${MOSS_END.commands}`)
    // A turn whose results were compressed to None shows an answer the model could not have written from what it
    // sees; training on it would teach answering without results.
    if (!d.compressed.has(i) || t.results.length === 0) generated.add(` ${t.answer}${MOSS_END.answer}`)
  }
  return parts.map((p) => ({ text: p.text, trusted: p.trusted, target: p.trusted && generated.has(p.text) }))
}

/** Constant protocol texts for the second phase of vocabulary learning. */
export function constantTexts(format: DialogueFormat): string[] {
  const texts: string[] = []
  for (let mask = 0; mask < 16; mask++) {
    const enabled = COMMANDS.filter((_, i) => (mask >> i) & 1)
    texts.push(format.renderSystem(pluginSet(enabled, stubPlugin))[0]!.text)
  }
  const r = MOSS_ROLE
  const e = MOSS_END
  texts.push(
    `${r.human} `, `${e.human}\n${r.thought}`, `${e.thought}\n${r.commands}`, `${e.commands}\n${r.results}\nNone\n${e.results}\n${r.answer}`,
    `${r.results} None${e.results}\n`, `${r.results} Image generated successfully.${e.results}\n${r.answer}`,
    `${r.thought} None${e.thought}\n${r.commands} None${e.commands}\n${r.results} None${e.results}\n${r.answer}`,
    '<sup><|1|></sup>', '<sup><|2|></sup>', '<sup><|3|></sup>', '<|1|>: ', '<|2|>: ', '<|3|>: ',
    'Calculate("', 'Search("', 'Solve("', 'Text2Image("', '") =>', '"), ',
  )
  return texts
}
