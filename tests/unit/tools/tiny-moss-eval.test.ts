/** Scoring of the tiny model's independent evaluations, the SFT reader, the builtin set's shape, and agent-exact compression. */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMossFormat } from '../../../src/formats/index.js'
import { makeDialogue, type CallRunner } from '../../../tools/tiny-moss/generator/dialogue.js'
import { Rng } from '../../../tools/tiny-moss/generator/rng.js'
import { hasNumber, numbersIn, sameValues, saysToolFailed, scoreBuiltin, type BuiltinCase } from '../../../tools/tiny-moss/eval/scoring.js'
import { loadSftFirstTurns } from '../../../tools/tiny-moss/eval/sft.js'
import { dialogueParts, dialoguePlugins, fitLastTurn, type TrainingPart } from '../../../tools/tiny-moss/render.js'

const none = { calls: [], results: [], answer: '' }

describe('builtin scoring', () => {
  const calc: BuiltinCase = { id: 'c', lang: 'en', category: 'calculate', question: 'q', expect: { plugin: 'Calculate', value: '1081' } }
  it('right outcome needs the plugin and the value in the answer, read as a number', () => {
    const call = [{ name: 'Calculate', input: '47*23' }]
    expect(scoreBuiltin(calc, { ...none, calls: call, answer: '47*23 = 1,081.0.' })).toEqual({ rightPlugin: true, rightOutcome: true })
    expect(scoreBuiltin(calc, { ...none, calls: call, answer: 'It is 10810.' })).toEqual({ rightPlugin: true, rightOutcome: false })
    expect(scoreBuiltin(calc, { ...none, answer: '1081' })).toEqual({ rightPlugin: false, rightOutcome: false })
  })
  it('search needs every keyword in the query; null cases need no call at all', () => {
    const search: BuiltinCase = { id: 's', lang: 'zh', category: 'search', question: 'q', expect: { plugin: 'Search', keywords: ['capital', 'Kenya'] } }
    expect(scoreBuiltin(search, { ...none, calls: [{ name: 'Search', input: 'kenya CAPITAL city' }] }).rightOutcome).toBe(true)
    expect(scoreBuiltin(search, { ...none, calls: [{ name: 'Search', input: 'Kenya' }] }).rightOutcome).toBe(false)
    const chat: BuiltinCase = { id: 'h', lang: 'en', category: 'chitchat', question: 'hi', expect: { plugin: null } }
    expect(scoreBuiltin(chat, none)).toEqual({ rightPlugin: true, rightOutcome: true })
    expect(scoreBuiltin(chat, { ...none, calls: [{ name: 'Search', input: 'hi' }] }).rightPlugin).toBe(false)
  })
  it('reads numbers with separators, signs and full-width digits', () => {
    expect(numbersIn('x = -5, y = １２, total 1,234.5')).toEqual([-5, 12, 1234.5])
    expect(hasNumber('x_0 = 2, x_1 = 3', 3)).toBe(true)
    expect(sameValues('x = 550.000000000000', [550])).toBe(true)
    expect(sameValues('x = 55', [550])).toBe(false)
  })
  it('an honest answer after a failure says so, blames no switch and shows no picture', () => {
    expect(saysToolFailed('Sorry, the calculator returned no result.', 'Calculate')).toBe(true)
    expect(saysToolFailed('抱歉，画图失败了。', 'Text2Image')).toBe(true)
    expect(saysToolFailed('Sorry, the calculator is disabled right now.', 'Calculate')).toBe(false)
    expect(saysToolFailed('Here is your picture of a fox.', 'Text2Image')).toBe(false)
    expect(saysToolFailed('The result is 408.', 'Calculate')).toBe(false)
  })
})

describe('evals/builtin/cases.jsonl', () => {
  const cases = readFileSync('evals/builtin/cases.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BuiltinCase)
  it('has at least 300 well-formed cases in both languages and every category', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
    for (const c of cases) {
      expect(c.id.split('-')[1]).toBe(c.lang)
      if (c.expect.plugin === 'Calculate') expect(Number.isFinite(Number(c.expect.value))).toBe(true)
      if (c.expect.plugin === 'Solve') expect(Array.isArray(c.expect.value)).toBe(true)
      if (c.expect.plugin === 'Search' || c.expect.plugin === 'Text2Image') expect(c.expect.keywords?.length).toBeGreaterThan(0)
    }
    for (const lang of ['en', 'zh']) expect(cases.filter((c) => c.lang === lang).length).toBeGreaterThan(140)
    expect(new Set(cases.map((c) => c.category))).toEqual(new Set(['calculate', 'solve', 'search', 'text2image', 'chitchat', 'mentions-tool']))
  })
})

describe('SFT first turns', () => {
  it('reads the question, the enabled plugins, MOSS’s first command and the values of its result', () => {
    const root = mkdtempSync(join(tmpdir(), 'sft-'))
    const meta = 'Base.\nCapabilities and tools that MOSS can possess.\n- Inner thoughts: enabled.\n- Web search: disabled.\n- Calculator: enabled. API: Calculate(expression)\n'
    mkdirSync(join(root, 'conversation_with_plugins', 'calculator'), { recursive: true })
    mkdirSync(join(root, 'conversation_without_plugins', 'helpful'), { recursive: true })
    // Synthetic samples in the published layout (no MOSS text).
    writeFileSync(join(root, 'conversation_with_plugins', 'calculator', 'a.json'), JSON.stringify({
      meta_instruction: meta,
      chat: { turn_1: { Human: '<|Human|>: What is 6*7?<eoh>\n', Commands: '<|Commands|>: Calculate("6*7")<eoc>\n', 'Tool Responses': `<|Results|>:\nCalculate("6*7") => '42'\n<eor>\n` } },
    }))
    writeFileSync(join(root, 'conversation_without_plugins', 'helpful', 'b.json'), JSON.stringify({
      meta_instruction: meta.replace('enabled. API: Calculate(expression)', 'disabled.'),
      chat: { turn_1: { Human: '<|Human|>: 你好<eoh>\n', Commands: '<|Commands|>: None<eoc>\n', 'Tool Responses': '<|Results|>: None<eor>\n' } },
    }))
    const items = loadSftFirstTurns(root)!
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({ group: 'plugins', topic: 'calculator', lang: 'en', human: 'What is 6*7?', enabled: ['Calculate'], expected: 'Calculate', mossValues: [42] })
    expect(items[1]).toMatchObject({ group: 'none', lang: 'zh', enabled: [], expected: null, mossValues: [] })
    expect(loadSftFirstTurns(join(root, 'absent'))).toBeUndefined()
  })
})

describe('long dialogues compressed as the agent compresses them', () => {
  const run: CallRunner = (command, input) => Promise.resolve({ ok: true, text: `${command}:${input} ${'result '.repeat(20)}` })
  const format = createMossFormat()
  // A stand-in token count (characters / 4): the rule, not the tokenizer, is under test.
  const count = (parts: readonly TrainingPart[]): number => parts.reduce((n, p) => n + Math.ceil(p.text.length / 4), 0)
  it('compresses the oldest results first, then drops the oldest turns, until history, question and reserve fit', async () => {
    let compressedOnly = 0
    let dropped = 0
    for (let s = 0; s < 30; s++) {
      const d = await makeDialogue(new Rng(s), 'train', run, { turns: 10, enabled: ['Search', 'Calculate', 'Solve', 'Text2Image'] })
      const fitted = fitLastTurn(format, { ...d, compressed: new Set() }, count, 700, 160)
      const last = d.turns.length - 1
      const history = dialogueParts(format, { ...fitted, turns: fitted.turns.slice(0, last) })
      const question = format.beginTurn(d.turns[last]!.human, dialoguePlugins(d), last).parts.map((p) => ({ ...p, target: false }))
      const firstKept = fitted.dropped ?? 0
      if (firstKept > 0) {
        dropped++
        // Turns are dropped only once every earlier turn's results are compressed.
        for (let i = 0; i < last; i++) expect(fitted.compressed.has(i)).toBe(true)
      } else if (fitted.compressed.size > 0) {
        compressedOnly++
        // Compression goes oldest first: the compressed turns are a prefix.
        expect([...fitted.compressed].sort((a, b) => a - b)).toEqual([...Array(fitted.compressed.size).keys()])
      }
      if (firstKept < last) expect(count(history) + count(question) + 160).toBeLessThanOrEqual(700)
      expect(fitted.turns).toBe(d.turns)
    }
    expect(compressedOnly + dropped).toBeGreaterThan(10)
  })
})
