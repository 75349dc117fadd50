/**
 * Builds the tiny model's training data: synthetic dialogues rendered by the project's MOSS format, the vocabulary
 * (learned on the first run, reused afterwards so a checkpoint can continue on fresh data), the token files read by
 * train.py and the held-out test set read by eval.ts.
 *
 *   node dist/tools/tiny-moss/build-data.js [--train 30000] [--test 400] [--seed 1] [--out tools/tiny-moss/data]
 *                                           [--vocab path/to/vocab.json] [--vocab-size 4096] [--twins 0.3]
 *                                           [--focus search,calculate] [--focus-lang en|zh]
 *                                           [--command-weight 3] [--first-word-weight 6]
 *
 * `--focus search,calculate`: 70% of the (non-twin) dialogues end with a turn of one of these kinds (`echo` too);
 * `--focus-lang en` (or `zh`) writes those focused dialogues in that language only.
 * `--twins f`: that fraction of the dialogues comes as pairs differing only in one plugin switch (see makeTwins).
 * `--command-weight w`: loss weight of the commands spans (1–255, stored in the mask file; thoughts and answers weigh
 * 1). The commands are a few percent of the trained tokens, yet copying their arguments exactly is the hardest skill.
 * `--first-word-weight w`: loss weight of each argument's first word (default: the command weight); see targetWeights.
 * `--thought-weight w`: loss weight of the inner thought, where the plugin is chosen and words become an expression
 * (default 1).
 * `--wide f --errors f --custom f --invented f --custom-off f --meta f --open w`: the wider data of generator/dialogue.ts
 * GeneratorMix (default 0 each; `--custom-off` 0.15).
 * `--long f`: that fraction of the dialogues has 4 to `--long-turns` (12) turns, compressed before the last one exactly
 * as the agent compresses a session of `--context` (512) tokens that reserves `--reserve` (160) per generation
 * (needs `--vocab`: compression counts tokens).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { calculator, equationSolver } from '../../plugins/index.js'
import { createMossFormat } from '../../src/formats/moss/index.js'
import { describeError } from '../../src/errors.js'
import { definePlugin } from '../../src/plugins/define-plugin.js'
import { buildSpmVocab } from '../gguf/vocab.js'
import { COMMANDS, makeDialogue, makeTwins, pickEnabled, pluginSet, type CallRunner, type Dialogue, type GeneratorMix } from './generator/dialogue.js'
import { Rng } from './generator/rng.js'
import { learnPieces } from './tokenizer/learn.js'
import { SpmTokenizer, type TokenizerVocab } from './tokenizer/spm.js'
import { applyInputMap } from '../../src/backends/llama-cpp/input-map.js'
import { inputMapFor } from './tokenizer/input-map.js'
import { constantTexts, dialogueParts, fitLastTurn, stubPlugin, targetWeights, type TrainingPart } from './render.js'

const { values: args } = parseArgs({
  options: {
    train: { type: 'string', default: '30000' },
    test: { type: 'string', default: '400' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'tools/tiny-moss/data' },
    vocab: { type: 'string' },
    twins: { type: 'string', default: '0' },
    focus: { type: 'string', default: '' },
    'focus-lang': { type: 'string' },
    'vocab-size': { type: 'string', default: '4096' },
    'command-weight': { type: 'string', default: '1' },
    'first-word-weight': { type: 'string' },
    'thought-weight': { type: 'string', default: '1' },
    wide: { type: 'string', default: '0' },
    errors: { type: 'string', default: '0' },
    custom: { type: 'string', default: '0' },
    invented: { type: 'string', default: '0' },
    'custom-off': { type: 'string', default: '0.15' },
    meta: { type: 'string', default: '0' },
    open: { type: 'string', default: '0' },
    long: { type: 'string', default: '0' },
    'long-turns': { type: 'string', default: '12' },
    context: { type: 'string', default: '512' },
    reserve: { type: 'string', default: '160' },
  },
})

/** The command a focused kind needs. */
const KIND_COMMAND: Partial<Record<string, (typeof COMMANDS)[number]>> = { calculate: 'Calculate', solve: 'Solve', search: 'Search', image: 'Text2Image' }

const format = createMossFormat()
const calc = calculator()
const solver = equationSolver()
const run: CallRunner = async (command, input) => {
  const plugin = command === 'Calculate' ? calc : solver
  try {
    return { ok: true, text: (await plugin.run(input)).text }
  } catch (error) {
    return { ok: false, text: describeError(error) }
  }
}

async function main(): Promise<void> {
  const out = args.out
  mkdirSync(out, { recursive: true })
  const seed = Number(args.seed)
  const rng = new Rng(seed)
  const nTrain = Number(args.train)
  const dialogues: Dialogue[] = []
  const twins = Number(args.twins)
  const focus = args.focus === '' ? [] : args.focus.split(',')
  const focusLang = args['focus-lang']
  if (focusLang !== undefined && focusLang !== 'en' && focusLang !== 'zh') throw new Error(`--focus-lang must be en or zh, not ${focusLang}`)
  const mix: GeneratorMix = { wide: Number(args.wide), errors: Number(args.errors), custom: Number(args.custom), invented: Number(args.invented), customOff: Number(args['custom-off']), meta: Number(args.meta), open: Number(args.open) }
  const long = Number(args.long)
  if (long > 0 && !args.vocab) throw new Error('--long needs --vocab (compression counts tokens)')
  const early = args.vocab ? new SpmTokenizer(JSON.parse(readFileSync(args.vocab, 'utf8')) as TokenizerVocab) : undefined
  const earlyMap = new Map(Object.entries(inputMapFor(early?.vocab.tokens ?? [])))
  const count = (parts: readonly TrainingPart[]): number => parts.reduce((n, p) => n + early!.encode(applyInputMap(p.text, earlyMap), p.trusted).length, 0)
  for (let i = 0; i < nTrain; i++) {
    if (long > 0 && rng.chance(long)) {
      const d = await makeDialogue(rng, 'train', run, { turns: rng.int(4, Number(args['long-turns'])), mix })
      dialogues.push(fitLastTurn(format, { ...d, compressed: new Set() }, count, Number(args.context), Number(args.reserve)))
    } else if (twins > 0 && rng.chance(twins / 2)) {
      dialogues.push(...(await makeTwins(rng, 'train', run, mix)))
      i++
    } else if (focus.length > 0 && rng.chance(0.7)) {
      // A focused dialogue: its last turn is one of these kinds, with the plugin it needs enabled.
      // (`echo` is a copying drill: "repeat after me" over the search tables' names, nothing called.)
      const kind = rng.pick(focus)
      const need = KIND_COMMAND[kind]
      const picked = pickEnabled(rng)
      const enabled = COMMANDS.filter((c) => picked.includes(c) || c === need)
      dialogues.push(await makeDialogue(rng, 'train', run, { kind, enabled, mix, ...(focusLang ? { lang: focusLang } : {}) }))
    } else dialogues.push(await makeDialogue(rng, 'train', run, { mix }))
    if (i % 5000 === 4999) console.log(`generated ${i + 1} dialogues`)
  }
  const rendered = dialogues.map((d) => dialogueParts(format, d))

  let vocab: TokenizerVocab
  if (args.vocab) {
    vocab = JSON.parse(readFileSync(args.vocab, 'utf8')) as TokenizerVocab
  } else {
    const texts = function* (): Generator<string> {
      for (const parts of rendered) {
        for (const p of parts.slice(1)) yield* p.text.split(/<eo[htcrm]>/)
      }
    }
    const constants = constantTexts(format)
    const size = Number(args['vocab-size'])
    // First pass sizes phase 1 so that characters + both phases + specials + bytes fill the vocabulary.
    const probe = learnPieces({ texts: texts(), constants, wordMerges: 0, constantMerges: 0, makeVocab: (p) => buildSpmVocab({ pieces: p, addBos: false }) })
    const phase2Budget = 400
    const wordMerges = size - 8 - 256 - probe.characters - phase2Budget
    const learned = learnPieces({ texts: texts(), constants, wordMerges, constantMerges: phase2Budget, makeVocab: (p) => buildSpmVocab({ pieces: p, addBos: false }) })
    const v = buildSpmVocab({ pieces: learned.pieces, addBos: false })
    vocab = { tokens: v.tokens, scores: v.scores, types: v.types }
    console.log(`vocabulary ${v.tokens.length}: ${learned.characters} characters, ${learned.wordMerges} word merges, ${learned.constantMerges} protocol merges`)
  }
  writeFileSync(join(out, 'vocab.json'), JSON.stringify(vocab))
  const tokenizer = new SpmTokenizer(vocab)
  // The texts as the backend tokenizes them for this model: its input map applied (export.ts writes the same map).
  const inputMap = new Map(Object.entries(inputMapFor(vocab.tokens)))

  const tokens: number[] = []
  const mask: number[] = []
  const starts: number[] = []
  let targets = 0
  const weight = (text: string): number => Math.min(255, Math.max(1, Math.round(Number(text))))
  const commandWeight = weight(args['command-weight'])
  const firstWordWeight = weight(args['first-word-weight'] ?? args['command-weight'])
  const thoughtWeight = weight(args['thought-weight'])
  for (const parts of rendered) {
    starts.push(tokens.length)
    for (const p of parts) {
      const text = applyInputMap(p.text, inputMap)
      const ids = tokenizer.encode(text, p.trusted)
      const weights = p.target ? targetWeights(tokenizer, text, ids, commandWeight, firstWordWeight, thoughtWeight) : ids.map(() => 0)
      tokens.push(...ids)
      mask.push(...weights)
      if (p.target) targets += ids.length
    }
  }
  writeFileSync(join(out, 'train.tokens.u16'), Buffer.from(new Uint16Array(tokens).buffer))
  writeFileSync(join(out, 'train.mask.u8'), Buffer.from(new Uint8Array(mask)))
  writeFileSync(join(out, 'train.starts.u32'), Buffer.from(new Uint32Array(starts).buffer))
  const sysTokens = tokenizer.encode(format.renderSystem(pluginSet(COMMANDS, stubPlugin))[0]!.text, true).length
  console.log(`train: ${dialogues.length} dialogues, ${tokens.length} tokens (${targets} trained), system prefix ${sysTokens} tokens`)
  writeFileSync(
    join(out, 'samples.txt'),
    rendered.slice(0, 30).map((parts) => parts.map((p) => (p.target ? `[[${p.text}]]` : p.text)).join('')).join('\n=====\n'),
  )

  // Held-out test set: test phrasings, a different seed, one turn each, balanced over kinds.
  const testRng = new Rng(seed + 7919)
  const lines: string[] = []
  const kinds = ['calculate', 'solve', 'search', 'image', 'chat', 'disabled']
  const nTest = Number(args.test)
  for (let i = 0; i < nTest; i++) {
    const kind = kinds[i % kinds.length] as string
    let enabled = COMMANDS.filter(() => testRng.chance(0.6))
    const need = { calculate: 'Calculate', solve: 'Solve', search: 'Search', image: 'Text2Image' }[kind as 'calculate'] as (typeof COMMANDS)[number] | undefined
    if (need && !enabled.includes(need)) enabled.push(need)
    if (kind === 'disabled' && enabled.length === COMMANDS.length) enabled = enabled.filter((c) => c !== testRng.pick(COMMANDS))
    if (kind === 'chat' && enabled.length === 0) enabled = ['Search', 'Calculate', 'Solve']
    enabled = COMMANDS.filter((c) => enabled.includes(c))
    const d = await makeDialogue(testRng, 'test', run, { maxTurns: 1, kind, enabled })
    const spec = d.specs[0]!
    const record = d.turns[0]!
    lines.push(JSON.stringify({
      kind: spec.kind,
      lang: spec.lang,
      enabled: d.enabled,
      human: spec.human,
      calls: spec.calls.map((c) => ({ command: c.command, input: c.input, ...(c.synthetic !== undefined ? { synthetic: c.synthetic } : {}), ...(c.fact !== undefined ? { fact: c.fact } : {}) })),
      results: record.results.map((r) => ({ ok: r.ok, text: r.text })),
      disabledCommand: spec.disabledCommand,
      reference: record.answer,
    }))
  }
  writeFileSync(join(out, 'test.jsonl'), `${lines.join('\n')}\n`)
  console.log(`test: ${lines.length} held-out turns`)
}

try {
  await main()
} finally {
  await calc.dispose?.()
  await solver.dispose?.()
}
void definePlugin
