/**
 * The native formats' call grammar, with each plugin's JSON Schema turned into rules by node-llama-cpp, compiles in
 * llama.cpp and says what it should (a real grammar compile; no model needed).
 */
import { getLlama } from 'node-llama-cpp'
import { describe, expect, it } from 'vitest'
import { jsonSchemaRules } from '../../../src/backends/llama-cpp/json-schema-rules.js'
import { prepareSpanGrammar } from '../../../src/backends/llama-cpp/grammar-span.js'
import { createLlama3Format, createMistralFormat, createQwenFormat } from '../../../src/formats/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'

const weather = definePlugin({
  name: 'weather.get-forecast',
  description: 'Forecast',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' }, units: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'days'] },
  run: () => '',
})
const echo = definePlugin({ name: 'echo', description: 'Echo', run: (input) => input })

describe('tool-call grammar of the qwen format', () => {
  it('compiles with the JSON-schema rules and keeps strings free of <', async () => {
    const span = createQwenFormat().beginTurn('q', [weather, echo], 0).driver.firstStep.constrain
    expect(span?.trigger).toBe('<tool_call>')
    expect(span?.gbnf).toContain('"weather.get-forecast\\", \\"arguments\\": " args-0')
    const llama = await getLlama({ build: 'never', gpu: false })
    const rules = jsonSchemaRules(llama, span?.jsonSchemas ?? {})
    expect(rules).toMatch(/^args-0 ::= "\{"/m)
    expect(rules).toContain('"\\"city\\""')
    expect(rules).toContain('"\\"days\\""')
    expect(rules).not.toContain('"\\"units\\""')
    expect(rules).not.toContain('\\n\\n\\n\\n')
    expect(rules).toContain('[^"\\\\<\\x7F\\x00-\\x1F]')
    const prepared = prepareSpanGrammar(`${span?.gbnf ?? ''}\n${rules}\n`, ['<|im_end|>'])
    const grammar = await llama.createGrammar({ grammar: prepared.gbnf })
    expect(grammar.grammar).toBe(prepared.gbnf)
    expect(prepared.closingMarker).toBe('<|im_end|>')
  })

  it('a property of any value, an open object and an anyOf stay writable (not forced to null) and compile', async () => {
    const loose = definePlugin({
      name: 'mcp.set',
      description: 'Set a value',
      parameters: {
        type: 'object',
        properties: { key: { type: 'string' }, value: {}, options: { type: 'object' }, mode: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
        required: ['key', 'value', 'options', 'mode'],
      },
      run: () => '',
    })
    const span = createQwenFormat().beginTurn('q', [loose], 0).driver.firstStep.constrain
    const llama = await getLlama({ build: 'never', gpu: false })
    const rules = jsonSchemaRules(llama, span?.jsonSchemas ?? {})
    const root = /^args-0 ::= (.*)$/m.exec(rules)?.[1] ?? ''
    expect(root).toContain('"\\"value\\""')
    expect(root).not.toMatch(/"\\"value\\"" "?: "? args-0-null-rule/)
    // Every value kind is reachable somewhere in the rules: strings, numbers, booleans, null, arrays and objects.
    for (const rule of ['string-rule', 'fractional-number-rule', 'boolean-rule', 'null-rule', 'integer-number-rule']) expect(rules).toContain(`args-0-${rule}`)
    expect(rules).toMatch(/"\[" .*"\]"/)
    const prepared = prepareSpanGrammar(`${span?.gbnf ?? ''}\n${rules}\n`, ['<|im_end|>'])
    await expect(llama.createGrammar({ grammar: prepared.gbnf })).resolves.toBeDefined()
  })

  it('no grammar when constraining is off or no plugin is enabled', () => {
    expect(createQwenFormat({ constrainCommands: false }).beginTurn('q', [echo], 0).driver.firstStep.constrain).toBeUndefined()
    expect(createQwenFormat().beginTurn('q', [], 0).driver.firstStep.constrain).toBeUndefined()
  })
})

describe('call-list grammar of the mistral format', () => {
  it('compiles with the JSON-schema rules; the closing </s> (an end-of-generation token) is cut from the grammar', async () => {
    const span = createMistralFormat().beginTurn('q', [weather, echo], 0).driver.firstStep.constrain
    expect(span?.trigger).toBe('[TOOL_CALLS]')
    const llama = await getLlama({ build: 'never', gpu: false })
    const rules = jsonSchemaRules(llama, span?.jsonSchemas ?? {})
    expect(rules).toMatch(/^args-1 ::= "\{"/m)
    const prepared = prepareSpanGrammar(`${span?.gbnf ?? ''}\n${rules}\n`, ['</s>'])
    expect(prepared.closingMarker).toBe('</s>')
    expect(prepared.gbnf).toContain('root ::= " [" call-0 "]"')
    const grammar = await llama.createGrammar({ grammar: prepared.gbnf })
    expect(grammar.grammar).toBe(prepared.gbnf)
  })
})

describe('message grammar of the llama3 format', () => {
  it('compiles with the JSON-schema rules in the spacing tojson writes; the closing <|eot_id|> is cut from the grammar', async () => {
    const span = createLlama3Format().beginTurn('q', [weather, echo], 0).driver.firstStep.constrain
    expect(span?.trigger).toBe('<|start_header_id|>assistant<|end_header_id|>\n\n')
    const llama = await getLlama({ build: 'never', gpu: false })
    const rules = jsonSchemaRules(llama, span?.jsonSchemas ?? {})
    expect(rules).toMatch(/^args-0 ::= "\{" args-0-whitespace-b-1-4-rule "\\"city\\"" ": " args-0-string-rule args-0-comma-whitespace-b-1-4-rule "\\"days\\"" ": " /m)
    expect(rules).toMatch(/^args-0-comma-whitespace-b-1-4-rule ::= ", "$/m)
    expect(rules).toMatch(/^args-0-whitespace-b-1-4-rule ::= ""$/m)
    expect(rules).not.toContain('[ ]?')
    expect(rules).not.toContain('[\\n]')
    const prepared = prepareSpanGrammar(`${span?.gbnf ?? ''}\n${rules}\n`, ['<|eot_id|>', '<|eom_id|>'])
    expect(prepared.closingMarker).toBe('<|eot_id|>')
    expect(prepared.gbnf).toContain('calls ::= call ( "; " call ){0,7} ""')
    const grammar = await llama.createGrammar({ grammar: prepared.gbnf })
    expect(grammar.grammar).toBe(prepared.gbnf)
  })
})
