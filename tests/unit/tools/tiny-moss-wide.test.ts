/** The tiny model's wider training data: numbers and operators in words, typed equations, search shapes, tool errors. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normalizeMathInput } from '../../../plugins/shared/normalize-math.js'
import { calculateWordsTurn, wordProblem } from '../../../tools/tiny-moss/generator/calculate-words.js'
import { customTurn, pickCustom } from '../../../tools/tiny-moss/generator/custom.js'
import { makeDialogue, realise, type CallRunner } from '../../../tools/tiny-moss/generator/dialogue.js'
import { inventTool, isInvented } from '../../../tools/tiny-moss/generator/invented-tools.js'
import { withFailure } from '../../../tools/tiny-moss/generator/failures.js'
import { mentionTurn } from '../../../tools/tiny-moss/generator/mentions.js'
import { OPEN_THOUGHTS, openTurn } from '../../../tools/tiny-moss/generator/open.js'
import { chineseNumber, englishNumber, fullWidth } from '../../../tools/tiny-moss/generator/numbers.js'
import { imageTurn } from '../../../tools/tiny-moss/generator/image.js'
import { Rng } from '../../../tools/tiny-moss/generator/rng.js'
import { searchShapeTurn } from '../../../tools/tiny-moss/generator/search-shapes.js'
import { restyle } from '../../../tools/tiny-moss/generator/solve.js'
import { wildHan, wildLatin } from '../../../tools/tiny-moss/generator/wild-names.js'

const run: CallRunner = (command, input) => Promise.resolve({ ok: true, text: `${command}:${input}` })

describe('numbers in words', () => {
  it('writes English numbers as people do', () => {
    expect(englishNumber(7)).toBe('seven')
    expect(englishNumber(19)).toBe('nineteen')
    expect(englishNumber(40)).toBe('forty')
    expect(englishNumber(365)).toBe('three hundred and sixty-five')
    expect(englishNumber(365, false)).toBe('three hundred sixty-five')
    expect(englishNumber(1005)).toBe('one thousand and five')
    expect(englishNumber(12_300)).toBe('twelve thousand three hundred')
    expect(() => englishNumber(-1)).toThrow(RangeError)
  })

  it('writes Chinese numerals with 十/两/零 as people do', () => {
    expect(chineseNumber(7)).toBe('七')
    expect(chineseNumber(12)).toBe('十二')
    expect(chineseNumber(20)).toBe('二十')
    expect(chineseNumber(105)).toBe('一百零五')
    expect(chineseNumber(365)).toBe('三百六十五')
    expect(chineseNumber(2000)).toBe('两千')
    expect(chineseNumber(1010)).toBe('一千零一十')
    expect(chineseNumber(30_005)).toBe('三万零五')
    expect(chineseNumber(120_000)).toBe('十二万')
  })

  it('types full-width symbols as a Chinese IME does', () => {
    expect(fullWidth('(3+4)*2=14')).toBe('（３＋４）＊２＝１４')
    expect(normalizeMathInput(fullWidth('3+4*2'))).toBe('3+4*2')
  })
})

describe('calculator questions in words', () => {
  it('asks in words and symbols but always calls with a plain ASCII expression whose numbers the question holds', () => {
    const rng = new Rng(5)
    let inWords = 0
    for (let i = 0; i < 400; i++) {
      const lang = i % 2 === 0 ? 'en' : 'zh'
      const turn = calculateWordsTurn(rng, lang, 'train')
      const input = turn.calls[0]!.input
      expect(turn.calls[0]!.command).toBe('Calculate')
      expect(input).toMatch(/^[0-9+\-*/^().a-z]+$/)
      expect(turn.thought).toContain(input)
      const human = turn.human.normalize('NFKC').replace(/,/g, '')
      for (const n of input.match(/\d+(?:\.\d+)?/g) ?? []) {
        const value = Number(n)
        // Conversion factors, percentage and temperature constants (60, 100, 1000, 9/5+32 …) are the phrase's
        // meaning, not typed numbers.
        if ([1, 2, 3, 4, 5, 7, 9, 12, 24, 32, 60, 100, 1000, 3600].includes(value) && !human.includes(n)) continue
        const words = Number.isInteger(value) ? [englishNumber(value), englishNumber(value, false), chineseNumber(value)] : []
        const typed = human.includes(n) || words.some((w) => human.includes(w)) || (lang === 'zh' && /[九八七六五]{1,2}折/.test(human))
        if (!human.match(/\d/)) inWords++
        expect(typed, `${turn.human} → ${input}`).toBe(true)
      }
    }
    expect(inWords).toBeGreaterThan(20)
  })

  it('keeps every fifth phrasing for the test split', () => {
    const seen = { train: new Set<string>(), test: new Set<string>() }
    for (const split of ['train', 'test'] as const) {
      const rng = new Rng(9)
      for (let i = 0; i < 300; i++) seen[split].add(wordProblem(rng, 'en', split).core.replace(/[\d.,]+|[a-z-]+(?= )/g, ''))
    }
    expect(seen.test.size).toBeGreaterThan(5)
  })
})

describe('equations as typed', () => {
  it('spaces, superscripts and full width all normalise to the same equation for the solver', () => {
    for (const eq of ['x^2-5x+6=0', '3x+4=19', 'x/4=(12-x)/3', '-2y+7=-3']) {
      const plain = normalizeMathInput(eq, 'equation')
      for (const style of ['spaced', 'unicode', 'full'] as const) {
        const typed = restyle(eq, style)
        expect(normalizeMathInput(typed, 'equation').replace(/\s+/g, '').replace(/\^\((\d+)\)/g, '^$1')).toBe(plain)
      }
    }
    expect(restyle('x^2-5x+6=0', 'spaced')).toBe('x^2 - 5x + 6 = 0')
    expect(restyle('x^2-5x+6=0', 'full')).toBe('ｘ＾２－５ｘ＋６＝０')
  })
})

describe('search questions in everyday shapes', () => {
  it('queries with a short noun phrase that keeps the question’s names', () => {
    const rng = new Rng(3)
    for (let i = 0; i < 300; i++) {
      const lang = i % 2 === 0 ? 'en' : 'zh'
      const turn = searchShapeTurn(rng, lang, 'train')
      const query = turn.calls[0]!.input
      expect(query.length).toBeLessThan(60)
      expect(query).not.toMatch(/[?？《》]/)
      const human = turn.human.toLowerCase()
      if (lang === 'en') {
        // Every capitalised word (a name) of the query is in the question.
        for (const name of query.match(/\b[A-Z][\w-]*/g) ?? []) if (name !== 'CEO') expect(human, `${turn.human} → ${query}`).toContain(name.toLowerCase())
      } else {
        expect(human, `${turn.human} → ${query}`).toContain(query.slice(0, 2).toLowerCase())
      }
      // The answer cites the snippet that holds the fact.
      expect(turn.answer([])).toContain(turn.calls[0]!.fact!)
    }
  })

  it('names are also random letters and random ideographs, copied into the query as asked', () => {
    const rng = new Rng(5)
    const latin = Array.from({ length: 200 }, () => wildLatin(rng))
    for (const name of latin) expect(name).toMatch(/^[A-Z][a-z]{2,16}$/)
    expect(new Set(latin).size).toBeGreaterThan(190)
    const han = Array.from({ length: 200 }, () => wildHan(rng, 3, ['华'], 1))
    for (const name of han) expect(name).toMatch(/^[\u4e00-\u9fa5]{3}$/u)
    expect(new Set(han.join('')).size).toBeGreaterThan(500)
    // Queries carry ideographs from anywhere in the block, far more kinds than the whole generator source holds.
    const source = readFileSync(new URL('../../../tools/tiny-moss/generator/search-shapes.ts', import.meta.url), 'utf8')
    const seen = new Set<string>()
    for (let i = 0; i < 400; i++) for (const ch of searchShapeTurn(rng, 'zh', 'train').calls[0]!.input) if (/\p{Script=Han}/u.test(ch)) seen.add(ch)
    const outside = [...seen].filter((ch) => !source.includes(ch))
    expect(outside.length).toBeGreaterThan(100)
  })

  it('drawing requests name things no table lists, and the description is copied from the request', () => {
    const rng = new Rng(9)
    const source = readFileSync(new URL('../../../tools/tiny-moss/generator/image.ts', import.meta.url), 'utf8')
    for (const lang of ['en', 'zh'] as const) {
      let unlisted = 0
      for (let i = 0; i < 200; i++) {
        const turn = imageTurn(rng, lang, 'train')
        const description = turn.calls[0]!.input
        expect(turn.human).toContain(description)
        const words = lang === 'en' ? description.split(/[ ,]+/) : [...description.replace(/[，的]/g, '')]
        if (words.some((w) => w !== '' && !source.includes(w))) unlisted++
      }
      expect(unlisted).toBeGreaterThan(30)
    }
  })
})

describe('tool errors and tool mentions', () => {
  it('a failing call gets an error result and an answer that says the tool failed, never that it is disabled', async () => {
    const rng = new Rng(8)
    for (let i = 0; i < 40; i++) {
      const lang = i % 2 === 0 ? 'en' : 'zh'
      const base = (i % 4 < 2 ? searchShapeTurn : calculateWordsTurn)(rng, lang, 'train')
      const spec = withFailure(rng, 'train', base)
      const record = await realise(spec, run, 0, true)
      expect(record.results[0]!.ok).toBe(false)
      expect(record.answer).toMatch(lang === 'en' ? /sorry|failed|did not work|returned nothing/i : /抱歉|失败|没有|没能/)
      expect(record.answer).not.toMatch(/disabled|未启用|没有开启/)
    }
  })

  it('a tool mention calls nothing', () => {
    const rng = new Rng(4)
    for (let i = 0; i < 30; i++) expect(mentionTurn(rng, i % 2 ? 'zh' : 'en', 'train').calls).toEqual([])
  })

  it('an open request (explain, write, a count of items) calls nothing, with every plugin on', async () => {
    const rng = new Rng(8)
    const humans = new Set<string>()
    for (let i = 0; i < 60; i++) {
      const turn = openTurn(rng, i % 2 ? 'zh' : 'en', 'train')
      expect(turn.calls).toEqual([])
      expect(turn.human).not.toMatch(/\{[tun]\}/)
      humans.add(turn.human)
    }
    expect(humans.size).toBeGreaterThan(50)
    // Only a mix that asks for them draws them (older recipes keep their random streams).
    const count = async (open: number): Promise<number> => {
      let n = 0
      for (let s = 0; s < 40; s++) {
        const d = await makeDialogue(new Rng(s), 'train', run, { enabled: ['Search', 'Calculate', 'Solve', 'Text2Image'], mix: { open } })
        for (const [i, spec] of d.specs.entries()) {
          if (![...OPEN_THOUGHTS.en, ...OPEN_THOUGHTS.zh].includes(spec.thought)) continue
          expect(d.turns[i]!.commands).toBe('None')
          n++
        }
      }
      return n
    }
    expect(await count(0)).toBe(0)
    expect(await count(0.5)).toBeGreaterThan(10)
  })

  it('custom plugins and meta variants ride on the dialogue only when asked for', async () => {
    const plain = await makeDialogue(new Rng(1), 'train', run)
    expect(plain.custom).toBeUndefined()
    expect(plain.meta).toBeUndefined()
    let custom = 0
    let meta = 0
    for (let s = 0; s < 60; s++) {
      const d = await makeDialogue(new Rng(s), 'train', run, { mix: { custom: 0.5, meta: 0.5 } })
      if (d.custom) custom++
      if (d.meta) meta++
      for (const [i, spec] of d.specs.entries()) {
        if (spec.custom) expect(d.turns[i]!.commands).toMatch(new RegExp(`^${spec.custom.command}\\("`))
      }
    }
    expect(custom).toBeGreaterThan(15)
    expect(meta).toBeGreaterThan(15)
  })

  it('custom plugins come in many kinds, none about counting words, and each call copies a span of the request', () => {
    const rng = new Rng(7)
    const kinds = new Map<string, string>()
    for (let i = 0; i < 400; i++) {
      const plugin = pickCustom(rng)
      kinds.set(plugin.command, plugin.label)
      for (const lang of ['en', 'zh'] as const) {
        const turn = customTurn(rng, lang, 'train', plugin)
        const input = turn.calls[0]!.input
        expect(turn.calls.map((c) => c.command)).toEqual([plugin.command])
        expect(turn.human).toContain(input)
      }
    }
    expect(kinds.size).toBeGreaterThanOrEqual(15)
    // The custom-plugin example's WordStats(text) must stay a tool the model never saw.
    for (const [command, label] of kinds) expect(`${command} ${label}`).not.toMatch(/word|count|statist/i)
  })

  it('invented tools are new each time, named after a topic the request names, and never about words', async () => {
    const rng = new Rng(11)
    const commands = new Set<string>()
    for (let i = 0; i < 300; i++) {
      const tool = inventTool(rng)
      commands.add(tool.command)
      // WordStats counts words, characters and sentences: no invented tool may teach that.
      expect(`${tool.command} ${tool.label}`).not.toMatch(/word|character|sentence|字数|句/i)
      for (const lang of ['en', 'zh'] as const) {
        const turn = customTurn(rng, lang, 'train', tool)
        const input = turn.calls[0]!.input
        expect(turn.calls.map((c) => c.command)).toEqual([tool.command])
        expect(turn.human).toContain(input)
        const [noun, plural, zh] = tool.topic
        const named = [noun, plural, zh, tool.label, tool.command].some((w) => turn.human.toLowerCase().includes(w.toLowerCase()))
        expect(named, turn.human).toBe(true)
      }
    }
    expect(commands.size).toBeGreaterThan(100)
    // Through makeDialogue: the switch line carries the invented plugin, and its turns call it.
    let invented = 0
    for (let s = 0; s < 80; s++) {
      const d = await makeDialogue(new Rng(s), 'train', run, { mix: { custom: 1, invented: 1 } })
      const tool = d.custom?.[0]
      if (tool === undefined || !isInvented(tool)) throw new Error(`seed ${s}: no invented plugin on the dialogue`)
      for (const [i, spec] of d.specs.entries()) {
        if (spec.custom === undefined) continue
        invented++
        const turn = d.turns[i]
        expect(turn?.commands?.startsWith(`${tool.command}("`)).toBe(true)
        expect(turn?.thought?.startsWith(`${tool.label}: enabled.`)).toBe(true)
      }
    }
    expect(invented).toBeGreaterThan(15)
  })

  it('customOff sets the share of switched-off custom plugins, whose dialogues still call the built-in ones', async () => {
    const off = async (customOff: number | undefined) => {
      let count = 0
      let builtinCalls = 0
      for (let s = 0; s < 60; s++) {
        const d = await makeDialogue(new Rng(s), 'train', run, { mix: { custom: 1, ...(customOff === undefined ? {} : { customOff }) } })
        if (d.custom?.[0]?.enabled !== false) continue
        count++
        expect(d.specs.some((spec) => spec.custom !== undefined)).toBe(false)
        builtinCalls += d.specs.reduce((n, spec) => n + spec.calls.length, 0)
      }
      return { count, builtinCalls }
    }
    expect((await off(0)).count).toBe(0)
    const all = await off(1)
    expect(all.count).toBe(60)
    expect(all.builtinCalls).toBeGreaterThan(20)
    // The default keeps older recipes' share (15%).
    const byDefault = (await off(undefined)).count
    expect(byDefault).toBeGreaterThan(2)
    expect(byDefault).toBeLessThan(20)
  })
})
