/** The tiny model's training data: switch notes, enabled/disabled twins, and which parts carry the loss. */
import { describe, expect, it } from 'vitest'
import { createMossFormat } from '../../../src/formats/index.js'
import { makeDialogue, makeTwins, withSwitchNote, type CallRunner } from '../../../tools/tiny-moss/generator/dialogue.js'
import { echoTurn } from '../../../tools/tiny-moss/generator/echo.js'
import { Rng } from '../../../tools/tiny-moss/generator/rng.js'
import { buildSpmVocab } from '../../../tools/gguf/vocab.js'
import { dialogueParts, targetWeights } from '../../../tools/tiny-moss/render.js'
import { SpmTokenizer } from '../../../tools/tiny-moss/tokenizer/spm.js'

/** Stands in for the real calculator and solver: the data's shape, not the values, is under test here. */
const run: CallRunner = (command, input) => Promise.resolve({ ok: true, text: `${command}:${input}` })

describe('tiny-moss training data', () => {
  it('opens the thought with the switch line of the plugin the request needs', () => {
    const base = { lang: 'en' as const, human: 'q', thought: 'Thinking.', answer: () => 'a', requires: [] }
    expect(withSwitchNote({ ...base, kind: 'calculate', calls: [{ command: 'Calculate', input: '1+1' }] }).thought).toBe('Calculator: enabled. Thinking.')
    expect(withSwitchNote({ ...base, kind: 'disabled', calls: [], disabledCommand: 'Text2Image' }).thought).toBe('Text-to-image: disabled. Thinking.')
    expect(withSwitchNote({ ...base, kind: 'chat', calls: [] }).thought).toBe('Thinking.')
  })

  it('echo drills answer with exactly the words the user gave, or each of them quoted, calling nothing', () => {
    const rng = new Rng(2)
    let quoted = 0
    for (let i = 0; i < 60; i++) {
      const lang = i % 2 === 0 ? 'en' : 'zh'
      const turn = echoTurn(rng, lang, 'train')
      const answer = turn.answer([])
      expect(answer.length).toBeGreaterThan(0)
      expect(turn.calls).toEqual([])
      if (answer.startsWith('"')) {
        quoted++
        // Each word in quotes, in the user's order: the words after `"` are what a query's first word looks like.
        const words = [...answer.matchAll(/"([^"]+)"/g)].map((m) => m[1])
        expect(turn.human.endsWith(words.join(lang === 'en' ? ' ' : '，'))).toBe(true)
      } else expect(turn.human.endsWith(answer)).toBe(true)
    }
    expect(quoted).toBeGreaterThan(5)
  })

  it('twins differ only in one switch: called when enabled, refused when disabled', async () => {
    const rng = new Rng(11)
    for (let i = 0; i < 40; i++) {
      const [on, off] = await makeTwins(rng, 'train', run)
      const command = on.specs[0]!.calls[0]!.command
      expect(on.turns[0]!.human).toBe(off.turns[0]!.human)
      expect(on.enabled).toContain(command)
      expect(off.enabled).not.toContain(command)
      expect([...on.enabled].filter((c) => c !== command)).toEqual([...off.enabled])
      expect(on.turns[0]!.commands).toMatch(new RegExp(`^${command}\\("`))
      expect(off.turns[0]!.commands).toBe('None')
      expect(off.specs[0]!.disabledCommand).toBe(command)
    }
  })

  it('trains on thoughts, commands and answers, but not on answers whose results were compressed away', async () => {
    const format = createMossFormat()
    const rng = new Rng(5)
    let checked = 0
    for (let i = 0; i < 300 && checked < 5; i++) {
      const d = await makeDialogue(rng, 'train', run)
      const compressedWithResults = [...d.compressed].filter((t) => d.turns[t]!.results.length > 0)
      if (compressedWithResults.length === 0) continue
      checked++
      const parts = dialogueParts(format, d)
      const targets = parts.filter((p) => p.target).map((p) => p.text)
      for (const t of compressedWithResults) expect(targets).not.toContain(` ${d.turns[t]!.answer}<eom>`)
      const last = d.turns[d.turns.length - 1]!
      expect(targets).toContain(` ${last.answer}<eom>`)
      // Every target is something the model writes after a prefill: never the human's text or a results block.
      for (const p of parts.filter((part) => part.target)) expect(p.trusted).toBe(true)
      expect(targets.some((text) => text.includes('<|Results|>'))).toBe(false)
    }
    expect(checked).toBe(5)
  })

  it('weighs the commands span of a generated part, from the first token after the marker to its end', () => {
    // Byte fallback covers the characters without pieces, so the same text also tokenizes across piece boundaries.
    const v = buildSpmVocab({ pieces: ['<|Commands|>:', '▁', 'S', 'e', '▁None'], addBos: false })
    const tokenizer = new SpmTokenizer({ tokens: v.tokens, scores: v.scores, types: v.types })
    const text = ' I will search.<eot>\n<|Commands|>: Search("北京人口")<eoc>'
    const ids = tokenizer.encode(text, true)
    const weights = targetWeights(tokenizer, text, ids, 3)
    const weighted = ids.filter((_, k) => weights[k] === 3)
    const plain = ids.filter((_, k) => weights[k] === 1)
    expect(weights.every((w) => w === 1 || w === 3)).toBe(true)
    expect(tokenizer.decode(plain)).toBe(' I will search.<eot>\n<|Commands|>:')
    expect(tokenizer.decode(weighted)).toBe(' Search("北京人口")<eoc>')
    // Weight 1, or a part without a commands span (an answer), keeps every token at 1.
    expect(targetWeights(tokenizer, text, ids, 1).every((w) => w === 1)).toBe(true)
    const answer = ' 北京的人口约为2189万。<eom>'
    expect(targetWeights(tokenizer, answer, tokenizer.encode(answer, true), 3).every((w) => w === 1)).toBe(true)
  })

  it("weighs each argument's first word apart: it follows the quote with no space, unlike the question's copy", () => {
    const v = buildSpmVocab({ pieces: ['<|Commands|>:', '("', '▁', 'Ha', 'noi', '▁weather', 'Ha noi'], addBos: false })
    const tokenizer = new SpmTokenizer({ tokens: v.tokens, scores: v.scores, types: v.types })
    const text = ' Search.<eot>\n<|Commands|>: Search("Hanoi weather"), Search("北京")<eoc>'
    const ids = tokenizer.encode(text, true)
    const weights = targetWeights(tokenizer, text, ids, 3, 8)
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 8))).toBe('Hanoi北京')
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 3))).toBe(' Search(" weather"), Search("")<eoc>')
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 1))).toBe(' Search.<eot>\n<|Commands|>:')
  })

  it('weighs the inner thought apart, the marker staying at 1', () => {
    const v = buildSpmVocab({ pieces: ['<|Commands|>:', '("', '▁', 'In', '▁symbols', '▁360-97.'], addBos: false })
    const tokenizer = new SpmTokenizer({ tokens: v.tokens, scores: v.scores, types: v.types })
    const text = ' In symbols 360-97.<eot>\n<|Commands|>: Calculate("360-97")<eoc>'
    const ids = tokenizer.encode(text, true)
    const weights = targetWeights(tokenizer, text, ids, 3, 6, 2)
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 2))).toBe(' In symbols 360-97.<eot>\n')
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 1))).toBe('<|Commands|>:')
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 6))).toBe('360-97')
    expect(tokenizer.decode(ids.filter((_, k) => weights[k] === 3))).toBe(' Calculate("")<eoc>')
  })
})
