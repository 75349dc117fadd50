import { describe, expect, it } from 'vitest'
import { createLlama3Format, LLAMA3_ANSWER_LEAD, type ScanEvent } from '../../../src/formats/index.js'
import { JS_BLANK_RANGES } from '../../../src/formats/llama3/call-grammar.js'
import { createLeadScanner } from '../../../src/formats/llama3/lead-scanner.js'
import { readToolCallJson } from '../../../src/formats/common/tool-call-json.js'
import { scriptPlugins } from '../../../src/formats/templates/play.js'

const plugins = scriptPlugins()
const eot = { reason: 'stop', stop: '<|eot_id|>', tokens: 1 } as const
const HEADER = '<|start_header_id|>assistant<|end_header_id|>\n\n'
const BLANKS = '\\u0009-\\u000D\\u0020\\u00A0\\u1680\\u2000-\\u200A\\u2028-\\u2029\\u202F\\u205F\\u3000\\uFEFF'

describe('the llama3 call span', () => {
  it('holds the whole message from the assistant header: an answer, or calls of the enabled tools closed by <|eot_id|>', () => {
    const span = createLlama3Format().beginTurn('q', plugins, 0).driver.firstStep.constrain
    expect(span?.trigger).toBe(HEADER)
    expect(span?.gbnf).toBe(
      [
        'root ::= answer | calls | "<|python_tag|>" calls',
        'calls ::= call ( "; " call ){0,7} "<|eot_id|>"',
        'call ::= "{\\"name\\": " ( "\\"calculate\\", \\"parameters\\": " args-0 | "\\"search\\", \\"parameters\\": " args-1 ) "}"',
        `answer ::= [${BLANKS}]* ( ( [^${BLANKS}{<] | "<" [^|] ) [^\\x00]* )?`,
        '',
      ].join('\n'),
    )
    expect(span?.jsonSchemas).toEqual({ 'args-0': plugins[0]!.parameters, 'args-1': plugins[1]!.parameters })
    expect(span?.releaseWhen).toBe(LLAMA3_ANSWER_LEAD)
  })

  it('none with constraining off or no enabled plugin; the last round offered without tools stays free text', () => {
    expect(createLlama3Format({ constrainCommands: false }).beginTurn('q', plugins, 0).driver.firstStep.constrain).toBeUndefined()
    expect(createLlama3Format().beginTurn('q', [], 0).driver.firstStep.constrain).toBeUndefined()
    const { driver } = createLlama3Format({ maxToolRounds: 2 }).beginTurn('q', plugins, 0)
    const call = (n: number) => `{"name": "calculate", "parameters": {"expression": "${n}"}}`
    const first = driver.afterGeneration(call(1), eot)
    if (first.type !== 'calls') throw new Error('expected calls')
    expect(driver.results([{ call: first.calls[0]!, ok: true, text: '1' }]).step.constrain?.trigger).toBe(HEADER)
    const second = driver.afterGeneration(call(2), eot)
    if (second.type !== 'calls') throw new Error('expected calls')
    const last = driver.results([{ call: second.calls[0]!, ok: true, text: '2' }]).step
    expect(last.constrain).toBeUndefined()
    expect(last.scanner.push('{"name": "calculate"')).toEqual([{ kind: 'answer', text: '{"name": "calculate"' }])
  })
})

describe('where the span lets an answer go (releaseWhen) and where the scanner decides', () => {
  it("the grammar's blank class is exactly JavaScript's \\s (what the scanner's trimStart skips)", () => {
    const inRanges = (code: number) => JS_BLANK_RANGES.some(([from, to]) => code >= from && code <= to)
    const disagree: number[] = []
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code)
      if (inRanges(code) !== /\s/.test(char) || inRanges(code) !== (char.trimStart() === '')) disagree.push(code)
    }
    expect(disagree).toEqual([])
  })

  /** The section the format's own scanner puts a message's lead in. */
  const section = (text: string): string => {
    const scanner = createLeadScanner(true)
    const events: ScanEvent[] = scanner.push(text)
    return events[0]?.kind ?? 'undecided'
  }

  it('releases exactly where the scanner has decided on an answer, never inside a call', () => {
    const answers = ['Hello', '  Hi', '\n\n你好', '\u3000答：5', '\u00a0x', '<b>bold</b>', '[1] 2', '"quoted"', '5', '}']
    for (const text of answers) {
      const lead = [...text].findIndex((_, i) => LLAMA3_ANSWER_LEAD.test([...text].slice(0, i + 1).join('')))
      expect([text, lead]).not.toEqual([text, -1])
      const prefix = [...text].slice(0, lead + 1).join('')
      expect([prefix, section(prefix)]).toEqual([prefix, 'answer'])
    }
    const calls = ['{"name": "calculate", "parameters": {"expression": "1<2"}}', '<|python_tag|>{"name": "search", "parameters": {"query": "北京"}}']
    for (const text of calls) {
      for (let i = 1; i <= text.length; i++) expect([text.slice(0, i), LLAMA3_ANSWER_LEAD.test(text.slice(0, i))]).toEqual([text.slice(0, i), false])
      expect(section(text)).toBe('commands')
    }
    // Blank-only and a lone `<` or `<|` are undecided for both.
    for (const text of [' ', '\n\u3000', '<', '<|', '<|pyth']) expect([text, LLAMA3_ANSWER_LEAD.test(text)]).toEqual([text, false])
  })
})

describe("errors name the format's own arguments key", () => {
  it('llama3 tells the model about "parameters", the other JSON formats about "arguments"', () => {
    const { driver } = createLlama3Format().beginTurn('q', plugins, 0)
    const bad = driver.afterGeneration('{"name": "calculate", "parameters": {', eot)
    const text = bad.type === 'calls' ? bad.rejected[0]?.text : ''
    expect(text).toMatch(/^The tool call is not valid JSON \(.+\); write \{"name": …, "parameters": \{…\}\}\.$/)
    expect(text).not.toContain('"arguments"')
  })

  it('reasons about the arguments name the key the model wrote', () => {
    expect(readToolCallJson('{"name": "x", "parameters": "{oops"}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^its "parameters" string is not JSON/) })
    expect(readToolCallJson('{"name": "x", "parameters": [1]}')).toEqual({ ok: false, name: 'x', reason: '"parameters" is not a JSON object' })
    expect(readToolCallJson('{"name": "x", "arguments": [1]}')).toEqual({ ok: false, name: 'x', reason: '"arguments" is not a JSON object' })
    expect(readToolCallJson('{"name": "x", "arguments": null, "parameters": {"a": 1}}')).toEqual({ ok: true, name: 'x', arguments: { a: 1 } })
  })
})
