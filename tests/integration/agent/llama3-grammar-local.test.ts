/**
 * Issue 14, item 5 for Llama 3: the `llama3` format's own message grammar on the random-weight model with Llama
 * 3.1's real 128,256-token vocabulary and official chat template (tools/gguf/real-vocab-models.ts). `format: 'auto'`
 * picks llama3; a call written under the format's grammar — the plugin's JSON Schema turned into rules by the
 * backend, in the spacing the template's `tojson` writes — runs the real calculator, is kept byte for byte (a CJK
 * argument as UTF-8, nothing rewritten) and the results resume on the same KV cache; unforced, the grammar lets the
 * model answer or call from its first token; and the JSON the rules let a model write is always the format's
 * canonical text.
 */
import type { Token } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calculator } from '../../../plugins/index.js'
import { createAgent } from '../../../src/agent/index.js'
import type { Agent } from '../../../src/agent/index.js'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend, LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import { llamaCppHandles } from '../../../src/backends/llama-cpp/handles.js'
import type { ConstrainedSpan } from '../../../src/backends/types.js'
import { pythonJson } from '../../../src/formats/common/py-json.js'
import { LLAMA3_ANSWER_LEAD } from '../../../src/formats/index.js'
import type { DialogueFormat, GenerationStep, TurnDriver } from '../../../src/formats/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { Plugin } from '../../../src/plugins/types.js'
import { RecordingBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import type { RecordingSession } from '../../../src/testing/index.js'
import { realVocabModelPath } from '../../../tools/gguf/real-vocab-models.js'
import { generationChecks } from './local-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const HEADER = '<|start_header_id|>assistant<|end_header_id|>\n\n'
const ANSWER: ConstrainedSpan = { trigger: HEADER, gbnf: 'root ::= "The answer is " [0-9] [0-9]? ".<|eot_id|>"\n' }
const EXPRESSION = '2 加 3'

/**
 * The real calculator with its schema narrowed to one value: random weights would fill a free string until the token
 * budget ends, so the schema itself decides the argument. The backend turns it into rules like any other schema, and
 * the call runs the real calculator (which reads 加 as +).
 */
function cjkCalculator(): Plugin {
  return { ...calculator(), parameters: { type: 'object', properties: { expression: { type: 'string', enum: [EXPRESSION] } }, required: ['expression'] } }
}

/**
 * The format's own span held to one call: `root` keeps only the format's `call` rule and its `<|eot_id|>` (random
 * weights never choose the call branch by themselves, and a second `; ` call would depend on their float path).
 * Every other rule — tool names, argument rules from the schema — is the format's.
 */
function oneCall(span: ConstrainedSpan): ConstrainedSpan {
  return { ...span, gbnf: span.gbnf.replace(/^root ::= .*$/m, 'root ::= call "<|eot_id|>"') }
}

/** The format with its first generation held to one call of its own grammar and its answer to a small grammar. */
function forcedCall(base: DialogueFormat): DialogueFormat {
  const answer = (step: GenerationStep): GenerationStep => ({ ...step, constrain: ANSWER })
  return {
    ...base,
    beginTurn(human, plugins, previous) {
      const { parts, driver } = base.beginTurn(human, plugins, previous)
      const own = driver.firstStep.constrain
      if (own === undefined) throw new Error('the llama3 format offered tools constrains the message')
      const forced: TurnDriver = {
        firstStep: { ...driver.firstStep, constrain: oneCall(own) },
        afterGeneration: (text, outcome) => driver.afterGeneration(text, outcome),
        results(results) {
          const next = driver.results(results)
          return { parts: next.parts, step: answer(next.step) }
        },
        record: () => driver.record(),
      }
      return { parts, driver: forced }
    },
  }
}

let backend: LlamaCppBackend
beforeAll(async () => {
  backend = await createLlamaCppBackend({ model: await realVocabModelPath('llama3.1'), threads: 1, gpu: false, contextSize: 2048, maxSessions: 1 })
}, 180_000)
afterAll(async () => {
  await backend?.dispose()
})

/** Generates once on a fresh session after the format's first prompt. */
async function generateOnce(format: DialogueFormat, plugins: readonly Plugin[], constrain: ConstrainedSpan | undefined, seed: number, maxTokens: number): Promise<string> {
  const { parts, driver } = format.beginTurn('2+3 等于多少？', plugins, 0)
  const session = await backend.open()
  try {
    await session.append([...format.renderSystem(plugins), ...parts])
    const generation = session.generate({ stop: driver.firstStep.stop, maxTokens, sampling: { temperature: 1, seed }, ...(constrain ? { constrain } : {}) })
    let text = ''
    for (let next = await generation.next(); !next.done; next = await generation.next()) text += next.value
    return text
  } finally {
    await session.dispose()
  }
}

describe('the llama3 format on the Llama 3.1-vocabulary model, its calls constrained', () => {
  let auto: Agent
  let format: DialogueFormat
  beforeAll(() => {
    auto = createAgent({ backend, format: 'auto' })
    format = auto.format
  })
  afterAll(async () => {
    await auto?.dispose()
  })

  it("format 'auto' picks llama3 from the GGUF's official chat template", () => {
    expect(auto.formatChoice).toMatchObject({ format: 'llama3', tools: true })
    expect(format.name).toBe('llama3')
  })

  it('a call under the format grammar runs the real calculator, stays as generated (CJK as UTF-8), and the answer resumes on the same KV cache', async () => {
    const spy = new RecordingBackend<LlamaCppSession>(backend)
    const agent = createAgent({ backend: spy, plugins: [cjkCalculator()], format: forcedCall(format), sampling: { temperature: 0, repeatPenalty: 1 } })
    const session = await agent.createSession()
    const model = spy.sessions.at(-1) as RecordingSession<LlamaCppSession>
    try {
      const events = await collectEvents(session.send('2 加 3 等于多少？'))
      expect(eventsOfType(events, 'error')).toEqual([])
      expect(eventsOfType(events, 'tool-call')).toMatchObject([{ name: 'Calculate', input: EXPRESSION, arguments: { expression: EXPRESSION } }])
      expect(eventsOfType(events, 'tool-result')).toMatchObject([{ output: '5' }])
      const finish = eventsOfType(events, 'turn-finish')[0]
      expect(finish).toMatchObject({ aborted: false })
      expect(finish?.text).toMatch(/^The answer is \d\d?\.$/)

      // Nothing was rewritten: no reset, and each generation evaluated exactly what was appended plus the held token.
      const checks = generationChecks(model)
      expect(checks).toHaveLength(2)
      for (const check of checks) expect(check).toEqual({ evaluated: check.appendedPlusHeld, appendedPlusHeld: check.appendedPlusHeld, afterReset: false })
      expect(model.log.some((call) => call.kind === 'reset')).toBe(false)
      expect(finish?.usage.evaluated).toBe(checks.reduce((n, c) => n + c.evaluated, 0))

      // The transcript holds the call exactly as the template writes it, the CJK argument as UTF-8 (no \u escape).
      const call = `{"name": "Calculate", "parameters": {"expression": "${EXPRESSION}"}}<|eot_id|>`
      const tokens = model.inner.transcriptTokens
      const text = llamaCppHandles(backend).model.detokenize(tokens as Token[], true)
      expect(text).toContain(`${HEADER}${call}<|start_header_id|>ipython<|end_header_id|>\n\n"5"<|eot_id|>${HEADER}The answer is `)
      expect(text).not.toContain('\\u')
      expect(session.turns[0]?.commands).toBe(`{"name": "Calculate", "parameters": {"expression": "${EXPRESSION}"}}`)
    } finally {
      await session.dispose()
      await agent.dispose()
    }
  }, 120_000)

  it("unforced, the format's grammar holds from the first token: an answer or the start of a call, nothing else", async () => {
    const plugins = [cjkCalculator()]
    const own = format.beginTurn('q', plugins, 0).driver.firstStep.constrain
    const call = `{"name": "Calculate", "parameters": {"expression": "${EXPRESSION}"}}`
    for (const seed of [1, 2, 3]) {
      const text = await generateOnce(format, plugins, own, seed, 12)
      const body = text.startsWith('<|python_tag|>') ? text.slice('<|python_tag|>'.length) : text
      const allowed = LLAMA3_ANSWER_LEAD.test(text) || /^\s*$/.test(text) || call.startsWith(body) || body.startsWith(call)
      expect([seed, text, allowed]).toEqual([seed, text, true])
    }
  }, 120_000)

  it('the JSON the rules let a model write is the canonical text the format renders, whatever it samples', async () => {
    const shapes = definePlugin({
      name: 'shapes',
      description: 'Every JSON shape a schema can ask for',
      parameters: {
        type: 'object',
        properties: {
          word: { type: 'string', enum: ['x', '北京'] },
          flag: { type: 'boolean' },
          list: { type: 'array', items: { type: 'string', enum: ['p', 'q'] }, maxItems: 3 },
          inner: { type: 'object', properties: { count: { type: 'integer' }, ratio: { type: 'number' } }, required: ['count', 'ratio'] },
        },
        required: ['word', 'flag', 'list', 'inner'],
      } as unknown as Plugin['parameters'],
      run: () => '',
    })
    const own = format.beginTurn('q', [shapes], 0).driver.firstStep.constrain
    if (own === undefined) throw new Error('expected a span')
    for (const seed of [1, 2, 3, 4, 5]) {
      const text = await generateOnce(format, [shapes], oneCall(own), seed, 96)
      const parsed = JSON.parse(text) as { parameters: unknown }
      expect(text).toBe(`{"name": "shapes", "parameters": ${pythonJson(parsed.parameters)}}`)
    }
  }, 180_000)
})
