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
import { BYTE, SPACE_MARK, type SpmTokenizer } from './tokenizer/spm.js'

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

/**
 * Loss weights of a generated part: `commandWeight` from the first token after `<|Commands|>: ` to the end of the
 * part, `firstWordWeight` on the tokens of each argument's first word, 1 before the commands. Token positions are
 * byte offsets summed over the pieces, so the part is encoded whole, exactly as at run time. The first word is weighed apart because
 * it follows `("` without a space: it is another token than the same word in the question, the one copy a model
 * cannot make by matching the previous token.
 */
export function targetWeights(tokenizer: SpmTokenizer, text: string, ids: readonly number[], commandWeight: number, firstWordWeight = commandWeight): number[] {
  const at = text.indexOf(MOSS_ROLE.commands)
  if ((commandWeight === 1 && firstWordWeight === 1) || at < 0) return ids.map(() => 1)
  const byteAt = (i: number): number => Buffer.byteLength(text.slice(0, i))
  const from = byteAt(at + MOSS_ROLE.commands.length)
  const firstWords: [number, number][] = []
  for (let open = text.indexOf('("', at); open >= 0; open = text.indexOf('("', open + 2)) {
    const end = text.slice(open + 2).search(/[\s"]/)
    firstWords.push([byteAt(open + 2), byteAt(end < 0 ? text.length : open + 2 + end)])
  }
  let start = 0
  return ids.map((id) => {
    const here = start
    start += tokenizer.vocab.types[id] === BYTE ? 1 : Buffer.byteLength((tokenizer.vocab.tokens[id] ?? '').replaceAll(SPACE_MARK, ' '))
    if (here < from) return 1
    return firstWords.some(([a, b]) => here >= a && here < b) ? firstWordWeight : commandWeight
  })
}
