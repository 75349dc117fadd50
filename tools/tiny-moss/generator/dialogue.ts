/**
 * Assembles dialogues: picks the enabled plugins (every combination the runtime can produce), the turns, runs the
 * project's own calculator and equation solver for real results, and returns TurnRecords the MOSS format renders.
 */
import type { Plugin } from '../../../src/plugins/types.js'
import type { ToolResult, TurnRecord } from '../../../src/formats/types.js'
import { calculateTurn } from './calculate.js'
import { calculateWordsTurn } from './calculate-words.js'
import { chatTurn } from './chat.js'
import { openTurn } from './open.js'
import { customTurn, pickCustom } from './custom.js'
import { disabledTurn, disabledTwin } from './disabled.js'
import { echoTurn } from './echo.js'
import { withFailure } from './failures.js'
import { imageTurn } from './image.js'
import { mentionTurn } from './mentions.js'
import { type Lang, type Rng, type Split } from './rng.js'
import { searchTurn } from './search.js'
import { searchShapeTurn } from './search-shapes.js'
import { solveTurn } from './solve.js'
import { solveWordsTurn } from './solve-words.js'
import type { CustomPlugin, MossCommand, TurnSpec } from './types.js'

/** All MOSS commands, in switch-line order. */
export const COMMANDS: readonly MossCommand[] = ['Search', 'Calculate', 'Solve', 'Text2Image']

/** Runs a real plugin call; resolves to `{ ok, text }` like the agent's runner. */
export type CallRunner = (command: MossCommand, input: string) => Promise<{ ok: boolean; text: string }>

/** A generated dialogue. */
export interface Dialogue {
  readonly enabled: readonly MossCommand[]
  readonly turns: TurnRecord[]
  readonly specs: readonly TurnSpec[]
  /** Indexes of turns rendered with their results dropped (as the agent's history compression does). */
  readonly compressed: ReadonlySet<number>
  /** Oldest turns dropped from the rendering (as the agent's history compression does); defaults to 0. */
  readonly dropped?: number
  /** Custom plugins of the meta instruction, after the built-in ones. */
  readonly custom?: readonly (CustomPlugin & { readonly enabled: boolean })[]
  /** Meta instruction variant: Chinese base text, a date line. */
  readonly meta?: { readonly language?: 'zh'; readonly date?: string }
}

/**
 * Fractions of the wider data (all 0 by default, so older recipes draw the same random numbers):
 * `wide` — calculator questions in words, word problems for the solver, search questions in everyday shapes, tool
 *   mentions among chit-chat;
 * `errors` — a tool call fails and the answer says so; `custom` — a custom plugin in the meta instruction;
 * `meta` — the Chinese meta instruction and/or a date line; `open` — weight of open requests that need no tool
 * (explain, write, advise; see open.ts) beside the other kinds' weights (chat 0.2, calculate 0.22, …).
 */
export interface GeneratorMix {
  readonly wide?: number
  readonly errors?: number
  readonly custom?: number
  /** Of the dialogues with a custom plugin, the share whose plugin is invented for it (invented-tools.ts). */
  readonly invented?: number
  /**
   * Of the dialogues with a custom plugin, the share whose plugin is switched off (default 0.15): a switched-off
   * custom line must not keep the model from calling the built-in plugins.
   */
  readonly customOff?: number
  readonly meta?: number
  readonly open?: number
}

/** Picks the enabled commands: uniform over the 16 combinations, with extra weight on "all but Text2Image". */
export function pickEnabled(rng: Rng): MossCommand[] {
  if (rng.chance(0.25)) return ['Search', 'Calculate', 'Solve']
  if (rng.chance(0.1)) return [...COMMANDS]
  return COMMANDS.filter(() => rng.chance(0.5))
}

/** One turn spec for this plugin set. */
export function pickTurn(rng: Rng, lang: Lang, split: Split, enabled: readonly MossCommand[], kind?: string, mix: GeneratorMix = {}): TurnSpec {
  const spec = pickPlainTurn(rng, lang, split, enabled, kind, mix)
  if ((mix.errors ?? 0) > 0 && spec.calls.length > 0 && rng.chance(mix.errors!)) return withFailure(rng, split, spec)
  return spec
}

function pickPlainTurn(rng: Rng, lang: Lang, split: Split, enabled: readonly MossCommand[], kind: string | undefined, mix: GeneratorMix): TurnSpec {
  const wide = (share: number): boolean => (mix.wide ?? 0) > 0 && rng.chance((mix.wide ?? 0) * share)
  const disabled = COMMANDS.filter((c) => !enabled.includes(c))
  const options: [string, number][] = [
    ['chat', enabled.length === 0 ? 0.5 : 0.2],
    ['calculate', enabled.includes('Calculate') ? 0.22 : 0],
    ['solve', enabled.includes('Solve') ? 0.14 : 0],
    ['search', enabled.includes('Search') ? 0.22 : 0],
    ['image', enabled.includes('Text2Image') ? 0.2 : 0],
    ['disabled', disabled.length > 0 ? 0.18 : 0],
    ['open', mix.open ?? 0],
  ]
  let chosen = kind
  if (chosen === undefined) {
    const total = options.reduce((s, [, w]) => s + w, 0)
    let x = rng.next() * total
    chosen = 'chat'
    for (const [k, w] of options) {
      if ((x -= w) < 0 && w > 0) {
        chosen = k
        break
      }
    }
  }
  switch (chosen) {
    case 'echo':
      return echoTurn(rng, lang, split)
    case 'calculate':
      return wide(1) ? calculateWordsTurn(rng, lang, split) : calculateTurn(rng, lang, split)
    case 'solve':
      return wide(0.35) ? solveWordsTurn(rng, lang, split) : solveTurn(rng, lang, split)
    case 'search':
      return wide(1) ? searchShapeTurn(rng, lang, split) : searchTurn(rng, lang, split)
    case 'image':
      return imageTurn(rng, lang, split)
    case 'open':
      return openTurn(rng, lang, split)
    case 'disabled':
      return disabledTurn(rng, lang, split, rng.pick(disabled.length > 0 ? disabled : COMMANDS))
    default:
      return wide(0.5) ? mentionTurn(rng, lang, split) : chatTurn(rng, lang, split)
  }
}

/** The switch-line labels of MOSS's meta instruction. */
const LABEL: Record<MossCommand, string> = {
  Search: 'Web search',
  Calculate: 'Calculator',
  Solve: 'Equation solver',
  Text2Image: 'Text-to-image',
}

/**
 * Opens the inner thought with the switch of the plugin the request needs, as the meta instruction states it
 * (`Calculator: enabled.` / `Text-to-image: disabled.`). The tiny model then makes one uniform decision for every
 * plugin, copying the state from the switch lines, before it decides what to call.
 */
export function withSwitchNote(spec: TurnSpec): TurnSpec {
  const needed = spec.disabledCommand ?? spec.calls[0]?.command
  if (needed === undefined) return spec
  const state = spec.disabledCommand !== undefined ? 'disabled' : 'enabled'
  const label = spec.custom?.label ?? LABEL[needed as MossCommand]
  return { ...spec, thought: `${label}: ${state}. ${spec.thought}` }
}

const FAILED: Record<Lang, string> = {
  en: 'Sorry, the tool could not produce a result for this.',
  zh: '抱歉，工具没能给出结果。',
}

/** Turns a spec into a record by running (or synthesising) its calls. */
export async function realise(spec: TurnSpec, run: CallRunner, callBase: number, withPlugins: boolean): Promise<TurnRecord> {
  if (!withPlugins) {
    return { human: spec.human, thought: 'None', commands: 'None', results: [], resultsText: '<|Results|>: None<eor>\n', answer: spec.answer([]) }
  }
  const results: ToolResult[] = []
  const texts: string[] = []
  let failed = false
  for (const [i, call] of spec.calls.entries()) {
    const outcome = call.error !== undefined ? { ok: false, text: call.error }
      : call.synthetic !== undefined ? { ok: true, text: call.synthetic } : await run(call.command as MossCommand, call.input)
    if (!outcome.ok) failed = true
    results.push({ call: { id: `call_${callBase + i + 1}`, command: call.command, input: call.input }, ok: outcome.ok, text: outcome.text })
    texts.push(outcome.text)
  }
  const commands = spec.calls.length === 0 ? 'None' : spec.calls.map((c) => `${c.command}("${c.input}")`).join(', ')
  return {
    human: spec.human,
    thought: spec.thought,
    commands,
    results,
    answer: failed ? (spec.onFailure?.() ?? FAILED[spec.lang]) : spec.answer(texts),
  }
}

/** A whole dialogue of 1–3 turns, in a random language unless `lang` is given. */
export async function makeDialogue(
  rng: Rng,
  split: Split,
  run: CallRunner,
  options: { maxTurns?: number; kind?: string; enabled?: MossCommand[]; lang?: Lang; mix?: GeneratorMix; turns?: number } = {},
): Promise<Dialogue> {
  const enabled = options.enabled ?? pickEnabled(rng)
  const lang: Lang = options.lang ?? (rng.chance(0.5) ? 'en' : 'zh')
  const maxTurns = options.maxTurns ?? 3
  const mix = options.mix ?? {}
  const r = rng.next()
  const count = options.turns ?? Math.min(maxTurns, r < 0.6 ? 1 : r < 0.88 ? 2 : 3)
  const custom = (mix.custom ?? 0) > 0 && rng.chance(mix.custom!) ? [{ ...pickCustom(rng, mix.invented ?? 0), enabled: rng.chance(1 - (mix.customOff ?? 0.15)) }] : []
  const meta = (mix.meta ?? 0) > 0 && rng.chance(mix.meta!) ? metaVariant(rng, lang) : undefined
  const specs: TurnSpec[] = []
  const turns: TurnRecord[] = []
  const compressed = new Set<number>()
  let calls = 0
  for (let t = 0; t < count; t++) {
    const turnLang: Lang = rng.chance(0.1) ? (lang === 'en' ? 'zh' : 'en') : lang
    const last = t === count - 1
    const useCustom = custom[0]?.enabled === true && (last ? options.kind === undefined : true) && rng.chance(0.45)
    const picked = useCustom ? customTurn(rng, turnLang, split, custom[0]!) : pickTurn(rng, turnLang, split, enabled, last ? options.kind : undefined, mix)
    const spec = withSwitchNote(picked)
    specs.push(spec)
    turns.push(await realise(spec, run, calls, enabled.length > 0 || custom.some((c) => c.enabled)))
    calls += spec.calls.length
    if (!last && rng.chance(0.3)) compressed.add(t)
  }
  return { enabled, turns, specs, compressed, ...(custom.length ? { custom } : {}), ...(meta ? { meta } : {}) }
}

/** The Chinese meta instruction (mostly for Chinese dialogues) and/or a date line, as `language`/`date` options write them. */
function metaVariant(rng: Rng, lang: Lang): Dialogue['meta'] {
  const zh = rng.chance(lang === 'zh' ? 0.7 : 0.25)
  const withDate = !zh || rng.chance(0.6)
  const y = rng.int(2023, 2030)
  const m = rng.int(1, 12)
  const d = rng.int(1, 28)
  const pad = (n: number): string => String(n).padStart(2, '0')
  const date = rng.pick([`${y}-${pad(m)}-${pad(d)}`, `${y}-${pad(m)}-${pad(d)}`, `${y}年${m}月${d}日`, `${['January', 'March', 'May', 'July', 'October', 'December'][m % 6]} ${d}, ${y}`])
  return { ...(zh ? { language: 'zh' as const } : {}), ...(withDate ? { date } : {}) }
}

/**
 * Two one-turn dialogues that differ only in one switch: the same request with its plugin enabled (the plugin is
 * called) and disabled (a polite refusal, nothing called). They teach the model to read the switch lines.
 */
export async function makeTwins(rng: Rng, split: Split, run: CallRunner, mix: GeneratorMix = {}): Promise<[Dialogue, Dialogue]> {
  const kind = rng.pick(['calculate', 'solve', 'search', 'image', 'image'])
  const lang: Lang = rng.chance(0.5) ? 'en' : 'zh'
  const base = pickTurn(rng, lang, split, COMMANDS, kind, { ...mix, errors: 0 })
  const command = base.calls[0]!.command as MossCommand
  const others = COMMANDS.filter((c) => c !== command && rng.chance(0.5))
  const on = COMMANDS.filter((c) => c === command || others.includes(c))
  const off = COMMANDS.filter((c) => others.includes(c))
  const onSpec = withSwitchNote(base)
  const offSpec = withSwitchNote(disabledTwin(rng, split, base, command))
  return [
    { enabled: on, turns: [await realise(onSpec, run, 0, true)], specs: [onSpec], compressed: new Set() },
    { enabled: off, turns: [await realise(offSpec, run, 0, off.length > 0)], specs: [offSpec], compressed: new Set() },
  ]
}

/** Plugin stubs with the runtime's commands and enabled flags (the meta instruction depends on nothing else). */
export function pluginSet(enabled: readonly MossCommand[], make: (command: MossCommand, enabled: boolean) => Plugin): Plugin[] {
  return COMMANDS.map((c) => make(c, enabled.includes(c)))
}
