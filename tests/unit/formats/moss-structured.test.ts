import { describe, expect, it } from 'vitest'
import { createMossFormat, parseMossCommands, renderMossMeta, renderMossResults, type ToolResult } from '../../../src/formats/index.js'
import { mossNames } from '../../../src/formats/moss/names.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { calculator, image, search, solver } from './plugin-stubs.js'

const getSum = definePlugin({
  name: 'get-sum',
  label: 'Sum',
  description: 'Adds two numbers',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, note: { type: 'string' } }, required: ['a', 'b'] },
  run: (input: Readonly<Record<string, unknown>>) => String(Number(input.a) + Number(input.b)),
})
const getSumIdentifier = definePlugin({ name: 'get_sum', description: 'Taken already', run: () => '' })
const factorial = definePlugin({ name: 'math.factorial', description: 'n!', run: () => '' })
const digits = definePlugin({ name: '2fa', description: 'code', run: () => '' })

describe('MOSS command names', () => {
  it('maps names that are not identifiers to legal commands, reversibly, identifiers first', () => {
    const names = mossNames([getSum, getSumIdentifier, factorial, digits, calculator])
    expect(names.plugins.map((p) => p.command)).toEqual(['get_sum_2', 'get_sum', 'math_factorial', '_2fa', 'Calculate'])
    for (const command of ['get-sum', 'get_sum', 'math.factorial', '2fa', 'Calculate']) expect(names.fromMoss(names.toMoss(command))).toBe(command)
    expect(mossNames([calculator]).renamed).toBe(false)
  })

  it('shows the mapping and the JSON object argument in the meta instruction', () => {
    const meta = renderMossMeta([calculator, getSum, factorial])
    expect(meta).toContain('- Calculator: enabled. API: Calculate(expression)\n')
    expect(meta).toContain('- Sum: enabled. API: get_sum({"a": number, "b": number, "note"?: string}) (tool get-sum)\n')
    expect(meta).toContain('- math.factorial: enabled. API: math_factorial(input) (tool math.factorial)\n')
  })
})

describe('MOSS calls of structured plugins', () => {
  const view = mossNames([search, calculator, getSum]).plugins

  it('reads a JSON object argument (also with single quotes and trailing commas) beside string calls', () => {
    const parsed = parseMossCommands(`Calculate("1+1"), get_sum({"a": 1, "b": 2}), get_sum({'a': 3, 'b': 4,})`, view)
    expect(parsed.calls.map((c) => [c.command, c.input, c.arguments])).toEqual([
      ['Calculate', '1+1', undefined],
      ['get_sum', '{"a": 1, "b": 2}', { a: 1, b: 2 }],
      ['get_sum', "{'a': 3, 'b': 4,}", { a: 3, b: 4 }],
    ])
    expect(parsed.rejected).toEqual([])
  })

  it('runs nothing when the span is not wholly calls', () => {
    for (const text of ['get_sum({"a": 1)', 'get_sum({"a": 1}) and more', 'get_sum({"a": "}"})x']) {
      const parsed = parseMossCommands(text, view)
      expect(parsed.calls, text).toEqual([])
      expect(parsed.rejected[0]?.text, text).toMatch(/^Malformed commands/)
    }
  })

  it('a turn maps the MOSS command back to the plugin and renders the result under the MOSS command', () => {
    const format = createMossFormat({ constrainCommands: false })
    const { driver } = format.beginTurn('2+3?', [calculator, getSum], 0)
    const decision = driver.afterGeneration(' Sum it.<eot>\n<|Commands|>: get_sum({"a": 2, "b": 3})<eoc>', { reason: 'stop', stop: '<eoc>', tokens: 9 })
    if (decision.type !== 'calls') throw new Error('expected calls')
    expect(decision.calls).toEqual([{ id: 'call_1_1', command: 'get-sum', input: '{"a": 2, "b": 3}', arguments: { a: 2, b: 3 } }])
    const { parts } = driver.results([{ call: decision.calls[0]!, ok: true, text: '5' }])
    expect(parts.map((p) => p.text).join('')).toBe('\n<|Results|>:\nget_sum({"a": 2, "b": 3}) =>\n5\n<eor>\n<|MOSS|>:')
    driver.afterGeneration(' 5.<eom>', { reason: 'stop', stop: '<eom>', tokens: 2 })
    expect(driver.record().results[0]?.call.command).toBe('get-sum')
  })
})

describe('MOSS parser fixes (production semantics)', () => {
  const plugins = [search, calculator, solver, image]

  it('an argument that is not a closed quoted string runs nothing', () => {
    for (const text of ['Calculate("("+ str(2) + str(-4) + ")" + "*" + str(6))', 'Calculate("1+1") + Search("x")']) {
      const parsed = parseMossCommands(text, plugins)
      expect(parsed.calls, text).toEqual([])
      expect(parsed.rejected).toHaveLength(1)
      expect(parsed.rejected[0]?.text).toMatch(/^Malformed commands/)
    }
    // A quote inside a closed argument is still one argument, as production's lazy split reads it.
    expect(parseMossCommands('Search("the "best" film")', plugins).calls.map((c) => c.input)).toEqual(['the "best" film'])
  })

  it('keeps more than four commands in plugin order before cutting to four', () => {
    const parsed = parseMossCommands('Text2Image("a cat"), Solve("x=1"), Calculate("1"), Calculate("2"), Search("q")', plugins)
    expect(parsed.calls.map((c) => `${c.command}:${c.input}`)).toEqual(['Search:q', 'Calculate:1', 'Calculate:2', 'Solve:x=1'])
    expect(parsed.rejected.map((r) => `${r.call.command}:${r.text}`)).toEqual(['Text2Image:Not run: at most 4 commands per turn.'])
  })

  it('lower-case none counts as None', () => {
    expect(parseMossCommands('none', plugins).none).toBe(true)
  })
})

describe('Search hits as data', () => {
  it('renders exactly what the JSON text renders', () => {
    const call = { id: '1', command: 'Search', input: '北京' }
    const fromText: ToolResult = { call, ok: true, text: JSON.stringify(['a "quoted"\nline', { title: 'T', snippet: "it's" }]) }
    const fromData: ToolResult = { call, ok: true, text: '', data: { hits: [{ snippet: 'a "quoted"\nline' }, { title: 'T', snippet: "it's" }] } }
    expect(renderMossResults([fromData]).text).toBe(renderMossResults([fromText]).text)
    expect(renderMossResults([fromData]).text).toContain(`<|2|>: T: "it's"`)
  })
})
