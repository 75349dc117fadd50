/**
 * Renders generated dialogues with the project's own MOSS format (so training text and run-time prompts cannot
 * drift) and marks the parts the model is trained to produce.
 */
import type { DialogueFormat } from '../../src/formats/types.js'
import { createMossFormat, MOSS_END, MOSS_ROLE } from '../../src/formats/moss/index.js'
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

/** A stand-in for a user's plugin: the meta instruction shows its label, command and first parameter. */
export function customStub(c: { command: string; label: string; argument: string; enabled: boolean }): Plugin {
  return definePlugin({
    name: c.command.toLowerCase(),
    command: c.command,
    description: c.label,
    label: c.label,
    parameters: { type: 'object', properties: { [c.argument]: { type: 'string' } }, required: [c.argument] },
    enabled: c.enabled,
    run: () => '',
  })
}

/** The plugins a dialogue's meta instruction lists: the four built-ins, then its custom plugins. */
export function dialoguePlugins(d: Dialogue): Plugin[] {
  return [...pluginSet(d.enabled, stubPlugin), ...(d.custom ?? []).map(customStub)]
}

const variants = new Map<string, DialogueFormat>()

/** The format of a dialogue's meta variant (Chinese base text, date line), or `format` itself. */
export function formatFor(format: DialogueFormat, d: Dialogue): DialogueFormat {
  if (!d.meta) return format
  const key = `${d.meta.language ?? 'en'}|${d.meta.date ?? ''}`
  let f = variants.get(key)
  if (!f) {
    f = createMossFormat({ ...(d.meta.language ? { language: d.meta.language } : {}), ...(d.meta.date ? { date: d.meta.date } : {}) })
    variants.set(key, f)
  }
  return f
}

/** The parts of a dialogue; generated parts are the ones that begin with a space after a prefill marker. */
export function dialogueParts(format: DialogueFormat, d: Dialogue): TrainingPart[] {
  const dropped = d.dropped ?? 0
  const relative = new Set([...d.compressed].filter((i) => i >= dropped).map((i) => i - dropped))
  const parts = formatFor(format, d).renderHistory(dialoguePlugins(d), d.turns.slice(dropped), { compressedResults: relative })
  const generated = new Set<string>()
  for (const [i, t] of d.turns.entries()) {
    if (i < dropped) continue
    generated.add(` ${t.thought}${MOSS_END.thought}\n${MOSS_ROLE.commands} ${t.commands}${MOSS_END.commands}`)
    // A turn whose results were compressed to None shows an answer the model could not have written from what it
    // sees; training on it would teach answering without results.
    if (!d.compressed.has(i) || t.results.length === 0) generated.add(` ${t.answer}${MOSS_END.answer}`)
  }
  return parts.map((p) => ({ text: p.text, trusted: p.trusted, target: p.trusted && generated.has(p.text) }))
}

/**
 * Compresses a long dialogue exactly as the agent's session does before its last turn (SessionCore.fit): while the
 * history, the last question and `reserve` generated tokens exceed `contextSize`, the results of the oldest
 * uncompressed turn become `None`; then whole oldest turns are dropped. `count` counts the tokens of parts.
 */
export function fitLastTurn(format: DialogueFormat, d: Dialogue, count: (parts: readonly TrainingPart[]) => number, contextSize: number, reserve: number): Dialogue {
  const last = d.turns.length - 1
  const question = formatFor(format, d).beginTurn(d.turns[last]!.human, dialoguePlugins(d), last).parts.map((p) => ({ ...p, target: false }))
  const need = (x: Dialogue): number => count(dialogueParts(format, { ...x, turns: x.turns.slice(0, last) })) + count(question) + reserve
  let current: Dialogue = { ...d, compressed: new Set(d.compressed) }
  for (let i = current.dropped ?? 0; i < last && need(current) > contextSize; i++) {
    if (current.compressed.has(i)) continue
    current = { ...current, compressed: new Set([...current.compressed, i]) }
  }
  while (need(current) > contextSize && (current.dropped ?? 0) < last) current = { ...current, dropped: (current.dropped ?? 0) + 1 }
  return current
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
 * Loss weights of a generated part: `thoughtWeight` on the inner thought (where the plugin is chosen and a question
 * in words becomes an expression), `commandWeight` from the first token after `<|Commands|>: ` to the end of the
 * part, `firstWordWeight` on the tokens of each argument's first word, 1 on the marker. Token positions are
 * byte offsets summed over the pieces, so the part is encoded whole, exactly as at run time. The first word is weighed apart because
 * it follows `("` without a space: it is another token than the same word in the question, the one copy a model
 * cannot make by matching the previous token.
 */
export function targetWeights(
  tokenizer: SpmTokenizer, text: string, ids: readonly number[], commandWeight: number, firstWordWeight = commandWeight, thoughtWeight = 1,
): number[] {
  const at = text.indexOf(MOSS_ROLE.commands)
  if ((commandWeight === 1 && firstWordWeight === 1 && thoughtWeight === 1) || at < 0) return ids.map(() => 1)
  const byteAt = (i: number): number => Buffer.byteLength(text.slice(0, i))
  const marker = byteAt(at)
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
    if (here < marker) return thoughtWeight
    if (here < from) return 1
    return firstWords.some(([a, b]) => here >= a && here < b) ? firstWordWeight : commandWeight
  })
}
