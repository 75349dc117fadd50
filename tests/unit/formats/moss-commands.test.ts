import { describe, expect, it } from 'vitest'
import { buildMossCommandsGrammar, parseMossCommands } from '../../../src/formats/index.js'
import { mossCommandsBoundsFor } from '../../../src/formats/moss/grammar.js'
import { calculator, search, solver, stub, weather } from './plugin-stubs.js'

const plugins = [search, calculator, solver, weather, stub('Text2Image', 'description', { enabled: false })]
const parse = (text: string) => parseMossCommands(text, plugins)
const shape = (text: string) => {
  const p = parse(text)
  return { none: p.none, calls: p.calls.map((c) => `${c.command}:${c.input}`), rejected: p.rejected.map((r) => `${r.call.command}:${r.text}`), canonical: p.canonical }
}

describe('MOSS commands parsing', () => {
  it('reads None and None-like text as no call', () => {
    for (const text of ['None', ' None ', 'None.', 'None (nothing to look up)', '']) expect(parse(text).none, text).toBe(true)
  })

  it('accepts the separators of the SFT data', () => {
    for (const text of ['Search("a"), Calculate("1+1")', 'Search("a"),Calculate("1+1")', 'Search("a")\nCalculate("1+1")', 'Search("a") , Calculate("1+1")', 'Search("a"), \nCalculate("1+1")']) {
      expect(shape(text), text).toEqual({ none: false, calls: ['Search:a', 'Calculate:1+1'], rejected: [], canonical: undefined })
    }
  })

  it('orders calls Search, Calculate, Solve, Text2Image, then custom, keeping the written order within a command', () => {
    expect(shape('Weather("北京"), Solve("x=1"), Search("b"), Search("a")').calls).toEqual(['Search:b', 'Search:a', 'Solve:x=1', 'Weather:北京'])
  })

  it('runs at most four calls and rejects the rest with a clear error', () => {
    const p = shape('Calculate("1"), Calculate("2"), Calculate("3"), Calculate("4"), Calculate("5"), Calculate("6")')
    expect(p.calls).toEqual(['Calculate:1', 'Calculate:2', 'Calculate:3', 'Calculate:4'])
    expect(p.rejected).toEqual(['Calculate:Not run: at most 4 commands per turn.', 'Calculate:Not run: at most 4 commands per turn.'])
  })

  it('rejects disabled and unknown commands, naming the available ones', () => {
    const p = shape('Text2Image("a cat"), Translate("hi"), Search("x")')
    expect(p.calls).toEqual(['Search:x'])
    expect(p.rejected).toEqual([
      'Text2Image:Command "Text2Image" is disabled.',
      'Translate:Unknown command "Translate". Available commands: Search, Calculate, Solve, Weather.',
    ])
  })

  it('rejects malformed text instead of dropping it silently', () => {
    const p = parse('Calculate(1+1)')
    expect(p.none).toBe(false)
    expect(p.calls).toEqual([])
    expect(p.rejected[0]?.text).toMatch(/^Malformed commands/)
  })

  it('handles CJK arguments and full-width punctuation inside arguments', () => {
    expect(shape('Search("北斗导航系统，基本原理（简介）")').calls).toEqual(['Search:北斗导航系统，基本原理（简介）'])
  })

  it('accepts full-width parentheses and curly quotes, and rewrites them to the canonical form', () => {
    const p = shape('Search（“天气 北京”）， Calculate(＂1+2＂)')
    expect(p.calls).toEqual(['Search:天气 北京', 'Calculate:1+2'])
    expect(p.canonical).toBe('Search("天气 北京"), Calculate("1+2")')
  })

  it('matches command names case-insensitively and rewrites them', () => {
    const p = shape('search("x")')
    expect(p.calls).toEqual(['Search:x'])
    expect(p.canonical).toBe('Search("x")')
  })

  it('gives unique ids in the written order', () => {
    const p = parseMossCommands('Solve("x=1"), Search("a")', plugins, { idPrefix: 'call_3_' })
    expect(p.written.map((c) => c.id)).toEqual(['call_3_1', 'call_3_2'])
    expect(p.calls.map((c) => c.id)).toEqual(['call_3_2', 'call_3_1'])
  })
})

describe('MOSS commands grammar', () => {
  it('lists only enabled commands and allows at most four calls', () => {
    expect(buildMossCommandsGrammar([search, calculator, stub('Solve', 'equation', { enabled: false })])).toMatchInlineSnapshot(`
      "root ::= " " body "<eoc>"
      body ::= "None" | call ( ", " call ( ", " call ( ", " call )?)?)?
      call ::= command "(\\"" arg "\\")"
      command ::= "Search" | "Calculate"
      arg ::= [^"<\\r\\n]{1,300}
      "
    `)
  })

  it('allows only None without enabled plugins', () => {
    expect(buildMossCommandsGrammar([])).toBe('root ::= " " body "<eoc>"\nbody ::= "None"\n')
  })

  it('bounds a span to what a token budget holds in the worst case (four one-byte tokens a character)', () => {
    const plugins = [search, calculator, stub('Text2Image', 'text-to-image')]
    for (const tokens of [10, 24, 64, 128, 192, 512, 4096]) {
      const bounds = mossCommandsBoundsFor(plugins, tokens)
      // The longest text the grammar accepts, in UTF-8 bytes (every non-end token of a constrained span is one or more).
      const longestCall = 1 + 'Text2Image'.length + 2 + 4 * bounds.maxArgumentChars + 2
      const longest = Math.max(' None'.length, bounds.maxCommands * longestCall + (bounds.maxCommands - 1) * 2) + '<eoc>'.length
      expect(longest).toBeLessThanOrEqual(tokens)
      expect(bounds.maxArgumentChars).toBeLessThanOrEqual(300)
    }
    expect(mossCommandsBoundsFor(plugins, 192)).toEqual({ maxCommands: 1, maxArgumentChars: 43 })
    // No room for an argument: only None.
    expect(buildMossCommandsGrammar(plugins, mossCommandsBoundsFor(plugins, 20))).toBe('root ::= " " body "<eoc>"\nbody ::= "None"\n')
    expect(buildMossCommandsGrammar([search], { maxCommands: 1, maxArgumentChars: 7 })).toContain('body ::= "None" | call\n')
  })
})
