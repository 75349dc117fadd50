/**
 * The harness held on a scripted model (no float paths): BFCL cases of our own fixture run through the real agent,
 * formats and structured plugins. A script that writes the ground truth scores 100% (MOSS and Hermes formats); one
 * that writes known wrong answers for k of n cases scores exactly (n−k)/n; resumed runs skip finished cases; a case
 * that hangs ends at its timeout; a failing model server stops the run (a context overflow does not); cases run
 * concurrently on several sessions.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadBfclSuite, NEUTRAL_RESULT } from '../../../src/eval/bfcl-suite.js'
import type { ExpectedCall } from '../../../src/eval/bfcl-checker.js'
import { runSuite } from '../../../src/eval/run-suite.js'
import { summarize } from '../../../src/eval/summary.js'
import type { EvalSuite } from '../../../src/eval/types.js'
import { mossNames } from '../../../src/formats/moss/names.js'
import { RemoteHttpError } from '../../../src/backends/remote/remote-errors.js'
import { BackendError } from '../../../src/errors.js'
import { ScriptedBackend } from '../../../src/testing/index.js'

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/bfcl')
const suite = loadBfclSuite(FIXTURE)
const MARK = 'Plan-7Q'

/** The first accepted value of each parameter (optional ones, whose first value is "", left out), recursively for dicts. */
function truthArgs(accepted: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown> {
  const pick = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(pick)
    if (value !== null && typeof value === 'object') return truthArgs(value as Record<string, readonly unknown[]>)
    return value
  }
  return Object.fromEntries(
    Object.entries(accepted)
      .filter(([, values]) => values[0] !== '')
      .map(([k, values]) => [k, pick(values[0])]),
  )
}

type Calls = { name: string; arguments: Record<string, unknown> }[]

function truthCalls(expected: unknown): Calls {
  if (!Array.isArray(expected)) return []
  return (expected as ExpectedCall[]).map((c) => {
    const [name, accepted] = Object.entries(c)[0]!
    return { name, arguments: truthArgs(accepted) }
  })
}

/** Wrong on purpose: the first call's first numeric or string argument changed, or a call where none is wanted. */
function wrongCalls(expected: unknown): Calls {
  const calls = truthCalls(expected)
  if (calls.length === 0) return [{ name: 'tide_table', arguments: { harbour: 'Nowhere' } }]
  const first = calls[0]!
  const [key, value] = Object.entries(first.arguments)[0]!
  first.arguments = { ...first.arguments, [key]: typeof value === 'number' ? value + 100 : typeof value === 'string' ? `${value} plus` : ['zzz'] }
  return calls
}

/** A backend answering each session from its question: the calls of `callsFor(case)`, then a short answer. */
function scriptedModel(s: EvalSuite, format: 'moss' | 'hermes', callsFor: (id: string) => Calls): ScriptedBackend {
  const byQuestion = s.cases.map((c) => ({ c, calls: callsFor(c.id) }))
  return new ScriptedBackend([], {
    chunkSize: 'random',
    respond: (transcript) => {
      const entry = byQuestion.find(({ c }) => transcript.includes(c.question))
      if (entry === undefined) return undefined
      if (transcript.includes(MARK)) return format === 'moss' ? ' Done.<eom>' : 'Done.<|im_end|>'
      const { c, calls } = entry
      if (format === 'hermes') {
        if (calls.length === 0) return `${MARK}: no tool fits.<|im_end|>`
        return `${MARK}\n${calls.map((k) => `<tool_call>\n${JSON.stringify(k)}\n</tool_call>`).join('\n')}<|im_end|>`
      }
      const names = mossNames(c.plugins())
      const commands = calls.length === 0 ? 'None' : calls.map((k) => `${names.toMoss(k.name)}(${JSON.stringify(k.arguments)})`).join(', ')
      return ` ${MARK}<eot>\n<|Commands|>: ${commands}<eoc>`
    },
  })
}

const expectedOf = (id: string): unknown => suite.cases.find((c) => c.id === id)?.expected

describe('the BFCL fixture', () => {
  it('loads every category with its possible answers, and --limit per category', () => {
    expect(suite.categories).toEqual(['simple_python', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance'])
    expect(suite.cases).toHaveLength(10)
    expect(loadBfclSuite(FIXTURE, 1).cases.map((c) => c.id)).toEqual(['simple_python_0', 'multiple_0', 'parallel_0', 'parallel_multiple_0', 'irrelevance_0'])
  })
  it('turns functions into structured plugins with their own names (dots and dashes) and JSON Schema types', () => {
    const plugins = suite.cases.find((c) => c.id === 'multiple_0')!.plugins()
    expect(plugins.map((p) => p.command)).toEqual(['tide_table', 'translate-text'])
    const kettle = suite.cases.find((c) => c.id === 'simple_python_0')!.plugins()[0]!
    expect(kettle.command).toBe('kitchen.boil_water')
    expect(kettle.parameters).toMatchObject({ type: 'object', properties: { litres: { type: 'number' }, celsius: { type: 'integer' } }, required: ['litres'] })
    expect(kettle.prepare({ litres: 1.5 }).ok).toBe(true)
    expect(kettle.prepare({ litres: 'a lot' }).ok).toBe(false)
  })
})

describe.each(['moss', 'hermes'] as const)('scripted runs in the %s format', (format) => {
  it('the ground truth scores 100%, every call valid, the plugins answering neutrally', async () => {
    const backend = scriptedModel(suite, format, (id) => truthCalls(expectedOf(id)))
    const results = await runSuite(suite, { backend, format, grammar: true, run: 'truth' })
    expect(results.filter((r) => !r.correct).map((r) => [r.id, r.detail, r.calls, r.error])).toEqual([])
    const summary = summarize('truth', results, suite.categories)
    expect(summary.overall).toMatchObject({ cases: 10, correct: 10, accuracy: 1, validCallRate: 1 })
    expect(summary.categories.map((c) => c.category)).toEqual(suite.categories)
    const parallel = results.find((r) => r.id === 'parallel_1')!
    expect(parallel.calls.map((c) => c.arguments)).toEqual([{ litres: 1 }, { litres: 2 }])
    expect(backend.requests.length).toBeGreaterThan(0)
    const kettle = suite.cases.find((c) => c.id === 'simple_python_0')!.plugins()[0]!
    expect((await kettle.run({ litres: 1.5 })).text).toBe(NEUTRAL_RESULT)
  })

  it('known wrong answers on 4 of 10 cases score exactly 60%', async () => {
    const wrong = new Set(['simple_python_1', 'multiple_1', 'parallel_0', 'irrelevance_1'])
    const backend = scriptedModel(suite, format, (id) => (wrong.has(id) ? wrongCalls(expectedOf(id)) : truthCalls(expectedOf(id))))
    const results = await runSuite(suite, { backend, format, grammar: false, run: 'wrong' })
    expect(results.filter((r) => !r.correct).map((r) => r.id).sort()).toEqual([...wrong].sort())
    expect(summarize('wrong', results).overall.accuracy).toBe(0.6)
    expect(results.find((r) => r.id === 'irrelevance_1')?.detail).toMatch(/call/)
  })
})

describe('run mechanics', () => {
  it('skips the cases of a resumed run', async () => {
    const backend = scriptedModel(suite, 'hermes', (id) => truthCalls(expectedOf(id)))
    const skip = new Set(suite.cases.slice(0, 7).map((c) => c.id))
    const results = await runSuite(suite, { backend, format: 'hermes', grammar: true, run: 'r', skip })
    expect(results.map((r) => r.id)).toEqual(suite.cases.slice(7).map((c) => c.id))
  })

  it('ends a hanging case at its timeout and goes on', async () => {
    const hanging = suite.cases.slice(0, 2)
    const backend = new ScriptedBackend([{ text: 'thinking', hang: true }, `${MARK}: nothing.<|im_end|>`])
    const results = await runSuite({ ...suite, cases: hanging }, { backend, format: 'hermes', grammar: true, run: 't', timeoutMs: 300 })
    expect(results[0]).toMatchObject({ correct: false, error: 'timed out after 300 ms' })
    expect(results[1]?.error).toBeUndefined()
  })

  it('a failing model server stops the run: no new case starts, finished ones are handed over, its error is thrown', async () => {
    const refused = new RemoteHttpError('server', 500, 'The server answered HTTP 500')
    const backend = new ScriptedBackend([`${MARK}: nothing.<|im_end|>`, refused, `${MARK}: never read.<|im_end|>`])
    const handed: string[] = []
    const run = runSuite({ ...suite, cases: suite.cases.slice(0, 4) }, { backend, format: 'hermes', grammar: true, run: 's', onResult: (r) => void handed.push(r.id) })
    await expect(run).rejects.toBe(refused)
    expect(handed).toEqual([suite.cases[0]?.id])
    expect(backend.sessions).toHaveLength(2)
  })

  it('the same stop with cases running concurrently: the running ones finish first', async () => {
    const refused = new RemoteHttpError('connection', 0, 'Cannot reach the server')
    const backend = new ScriptedBackend([refused, { text: `${MARK}: slow.<|im_end|>`, chunkDelayMs: 5 }])
    const handed: string[] = []
    const run = runSuite({ ...suite, cases: suite.cases.slice(0, 6) }, { backend, format: 'hermes', grammar: true, run: 'p', concurrency: 2, onResult: (r) => void handed.push(r.id) })
    await expect(run).rejects.toBe(refused)
    expect(handed).toEqual([suite.cases[1]?.id])
    expect(backend.sessions).toHaveLength(2)
  })

  it('a context overflow is the case\'s outcome, not the server failing: the run goes on', async () => {
    const overflow = new BackendError('The context (64 tokens) is full', { code: 'MOSS_ERR_CONTEXT_OVERFLOW' })
    const backend = new ScriptedBackend([overflow, `${MARK}: nothing.<|im_end|>`])
    const results = await runSuite({ ...suite, cases: suite.cases.slice(0, 2) }, { backend, format: 'hermes', grammar: true, run: 'o' })
    expect(results.map((r) => [r.correct, r.error])).toEqual([
      [false, 'The context (64 tokens) is full'],
      [results[1]?.correct, undefined],
    ])
  })

  it('runs cases concurrently, each session getting its own answers', async () => {
    const backend = scriptedModel(suite, 'hermes', (id) => truthCalls(expectedOf(id)))
    const order: string[] = []
    const results = await runSuite(suite, { backend, format: 'hermes', grammar: true, run: 'c', concurrency: 3, onResult: (r) => void order.push(r.id) })
    expect(results.every((r) => r.correct)).toBe(true)
    expect(order.sort()).toEqual(suite.cases.map((c) => c.id).sort())
    expect(backend.sessions.length).toBe(10)
  })
})
