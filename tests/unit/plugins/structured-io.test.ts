import { describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import { InvalidInputError, PluginError, PluginRegistrationError } from '../../../src/errors.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { createPluginRegistry } from '../../../src/plugins/registry.js'
import { runPluginCalls } from '../../../src/plugins/runner.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'

const getSum = definePlugin<{ a: number; b: number }>({
  name: 'get-sum',
  description: 'Adds two numbers',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number', description: 'first' }, b: { type: 'number', description: 'second' } },
    required: ['a', 'b'],
  },
  run: ({ a, b }) => ({ text: String(a + b), data: { sum: a + b } }),
})

const shout = definePlugin({
  name: 'shout',
  command: 'Shout',
  description: 'Upper-cases its text',
  parameters: { type: 'object', properties: { text: { type: 'string', maxLength: 20 } }, required: ['text'] },
  run: (input) => input.toUpperCase(),
})

describe('structured plugin input', () => {
  it('a single-string plugin receives its string from a string or from an arguments object', async () => {
    expect(shout.takesString).toBe(true)
    await expect(shout.run('hi')).resolves.toEqual({ text: 'HI' })
    await expect(shout.run({ text: '你好 hi' })).resolves.toEqual({ text: '你好 HI' })
  })

  it('a structured plugin receives the validated object; a JSON text is read as one', async () => {
    expect(getSum.takesString).toBe(false)
    expect(getSum.command).toBe('get-sum')
    await expect(getSum.run({ a: 2, b: 3 })).resolves.toEqual({ text: '5', data: { sum: 5 } })
    await expect(getSum.run('{"a": 1.5, "b": 1}')).resolves.toMatchObject({ text: '2.5' })
  })

  it('refuses arguments that do not fit the schema, naming the reason', async () => {
    await expect(getSum.run({ a: 1 })).rejects.toThrow(InvalidInputError)
    await expect(getSum.run({ a: 1 })).rejects.toThrow(/must have required property 'b'/)
    await expect(getSum.run({ a: 'one', b: 2 })).rejects.toThrow(/arguments\/a must be number/)
    await expect(getSum.run('a=1, b=2')).rejects.toThrow(/one JSON object/)
    await expect(shout.run('x'.repeat(21))).rejects.toThrow(/must NOT have more than 20 characters/)
    await expect(shout.run({ words: 'hi' })).rejects.toThrow(/required property 'text'/)
  })

  it('accepts MCP and BFCL tool names and refuses others', () => {
    expect(definePlugin({ name: 'math.factorial', description: '', run: () => '' }).command).toBe('math.factorial')
    expect(() => definePlugin({ name: 'has space', description: '', run: () => '' })).toThrow(PluginRegistrationError)
    expect(() => definePlugin({ name: 'x'.repeat(65), description: '', run: () => '' })).toThrow(PluginRegistrationError)
    expect(() => definePlugin({ name: 'ok', command: 'a/b', description: '', run: () => '' })).toThrow(PluginRegistrationError)
    expect(() => definePlugin({ name: 'bad-schema', description: '', parameters: { type: 'object', properties: { a: { type: 'nonsense' } } }, run: () => '' })).toThrow(
      /invalid parameters schema/,
    )
  })

  it('compiles schemas that announce another JSON Schema draft', async () => {
    const tool = definePlugin({
      name: 'echo-tool',
      description: '',
      parameters: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { n: { type: 'integer' } } },
      run: (input: Readonly<Record<string, unknown>>) => JSON.stringify(input),
    })
    await expect(tool.run({ n: 3 })).resolves.toEqual({ text: '{"n":3}' })
  })
})

describe('structured plugin output and the runner', () => {
  it('a validation failure is an error outcome with the reason; data travels beside text', async () => {
    const registry = createPluginRegistry([getSum])
    const [bad, good] = await runPluginCalls(registry, [
      { id: '1', command: 'get-sum', input: '{"a":1}', arguments: { a: 1 } },
      { id: '2', command: 'get-sum', input: '{"a":1,"b":2}', arguments: { a: 1, b: 2 } },
    ])
    expect(bad?.ok).toBe(false)
    if (bad?.ok === false) {
      expect(bad.error.code).toBe('MOSS_ERR_INVALID_INPUT')
      expect(bad.error.message).toContain("must have required property 'b'")
    }
    expect(good).toMatchObject({ ok: true, output: { text: '3', data: { sum: 3 } } })
  })

  it('data that is not JSON-serialisable is a plugin error', async () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const bad = definePlugin({ name: 'cyclic', description: '', run: () => ({ text: 'x', data: cyclic }) })
    const [outcome] = await runPluginCalls(createPluginRegistry([bad]), [{ id: '1', command: 'cyclic', input: 'x' }])
    expect(outcome?.ok).toBe(false)
    if (outcome?.ok === false) {
      expect(outcome.error).toBeInstanceOf(PluginError)
      expect(outcome.error.message).toMatch(/not JSON-serialisable/)
    }
  })

  it('through a native-format agent: arguments and data reach the events, a bad call reaches the model as an error', async () => {
    const backend = new ScriptedBackend([
      '<tool_call>\n{"name": "get-sum", "arguments": {"a": 2}}\n</tool_call><|im_end|>',
      'I need b.<|im_end|>',
      '<tool_call>\n{"name": "get-sum", "arguments": {"a": 2, "b": 40}}\n</tool_call><|im_end|>',
      'It is 42.<|im_end|>',
    ])
    const agent = createAgent({ backend, format: 'chatml', plugins: [getSum] })
    const session = await agent.createSession()
    const first = await collectEvents(session.send('Add 2 and 40'))
    expect(eventsOfType(first, 'tool-call')[0]).toMatchObject({ name: 'get-sum', arguments: { a: 2 } })
    expect(eventsOfType(first, 'tool-error')[0]?.error.message).toContain("must have required property 'b'")
    expect(backend.text).toContain("must have required property 'b'")
    const second = await collectEvents(session.send('Again, with b = 40'))
    expect(eventsOfType(second, 'tool-result')[0]).toMatchObject({ name: 'get-sum', output: '42', data: { sum: 42 } })
    expect(session.turns[1]?.results[0]).toMatchObject({ ok: true, text: '42', data: { sum: 42 } })
  })
})
