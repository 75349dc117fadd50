import { describe, expect, it } from 'vitest'
import { BudgetExceededError } from '../../../src/errors.js'
import { parseMossTranscript } from '../../../src/formats/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { collectEvents, eventsOfType } from '../../../src/testing/index.js'
import type { AgentEvent } from '../../../src/agent/types.js'
import { answerGeneration, calculator, calculatorReturning, firstGeneration, mossAgent } from './moss-fixtures.js'

const budgetOf = (events: readonly AgentEvent[]) => {
  const error = eventsOfType(events, 'error')[0]?.error
  return error instanceof BudgetExceededError ? error.budget : undefined
}

describe('MOSS turns under stress', () => {
  it('bytes that are not UTF-8 (decoded as U+FFFD) never reach a delta; transcript and record agree', async () => {
    const { agent, backend } = mossAgent([
      firstGeneration('搜索8y\uFFFD口', 'Calculate("2+2")'),
      answerGeneration('还剩22\uFFFD\uFFFD个\uFFFD。'),
    ])
    const session = await agent.createSession()
    const events = await collectEvents(session.send('还剩几个？'))
    const deltas = [...eventsOfType(events, 'thought-delta'), ...eventsOfType(events, 'text-delta')].map((e) => e.text).join('')
    expect(deltas).not.toContain('\uFFFD')
    expect(eventsOfType(events, 'turn-finish')[0]?.text).toBe('还剩22个。')
    expect(session.turns[0]).toMatchObject({ thought: '搜索8y口', answer: '还剩22个。' })
    expect(backend.text).not.toContain('\uFFFD')
    expect(parseMossTranscript(backend.text).turns[0]?.record).toMatchObject({ thought: '搜索8y口', answer: '还剩22个。' })
  })

  it('hanging and flooding plugins become failed results; the answer still comes', async () => {
    const hang = definePlugin({ name: 'solver', command: 'Solve', description: '', label: 'Equation solver', timeoutMs: 20, run: () => new Promise<string>(() => {}) })
    const { agent, backend } = mossAgent(
      [firstGeneration('Two tools.', 'Calculate("1+1"), Solve("x=1")'), answerGeneration('Both failed.')],
      { plugins: [calculatorReturning('8'.repeat(30_000)), hang] },
    )
    const events = await collectEvents((await agent.createSession()).send('go'))
    expect(eventsOfType(events, 'tool-error').map((e) => e.error.code)).toEqual(['MOSS_ERR_PLUGIN_OUTPUT_TOO_LARGE', 'MOSS_ERR_PLUGIN_TIMEOUT'])
    expect(backend.text).toContain('Calculate("1+1") => No calculation results.\nSolve("x=1") =>\nNo result.\n')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', text: 'Both failed.', aborted: false })
  })

  it('abort mid-generation (thought), then the next turn works', async () => {
    const { agent, backend } = mossAgent([{ text: ' Let me think about this for a very long', hang: true }, firstGeneration('ok', 'None'), answerGeneration('Hi.')])
    const session = await agent.createSession()
    const before = backend.text
    const controller = new AbortController()
    const events: AgentEvent[] = []
    for await (const event of session.send('x', { signal: controller.signal })) {
      events.push(event)
      if (event.type === 'thought-delta') controller.abort()
    }
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(backend.text).toBe(before)
    expect((await session.ask('hi')).text).toBe('Hi.')
    expect(parseMossTranscript(backend.text).turns).toHaveLength(1)
  })

  it('commands budget: more calls than allowed end the turn cleanly', async () => {
    const { agent, backend } = mossAgent([firstGeneration('Many.', 'Calculate("1+1"), Calculate("2+2"), Calculate("3+3")')], {
      budgets: { maxCommands: 2 },
    })
    const session = await agent.createSession()
    const before = backend.text
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('commands')
    expect(backend.text).toBe(before)
  })

  it('token budget on the answer: truncated, closed with <eom>, recorded', async () => {
    const { agent, backend } = mossAgent([firstGeneration('Chat.', 'None'), answerGeneration('word '.repeat(100))], {
      budgets: { maxTokensPerGeneration: 10 },
    })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('tokens')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false })
    expect(session.turns).toHaveLength(1)
    expect(parseMossTranscript(backend.text).turns[0]?.record.answer).toBe(session.turns[0]?.answer)
  })

  it('history compression on a small context: results first, then whole turns, transcript always parses', async () => {
    const probe = mossAgent([])
    await probe.agent.createSession()
    const base = probe.backend.sessions[0]!.tokenCount
    const outputs = []
    for (let i = 0; i < 5; i++) outputs.push(firstGeneration(`Step ${i}.`, `Calculate("${i}+1")`), answerGeneration(`Answer ${i}.`))
    const { agent, backend } = mossAgent(outputs, { plugins: [calculatorReturning('9'.repeat(200))], budgets: { maxTokensPerGeneration: 30 } }, { contextSize: base + 200 })
    const session = await agent.createSession()
    const compressions: Extract<AgentEvent, { type: 'history-compressed' }>[] = []
    for (let i = 0; i < 5; i++) {
      const events = await collectEvents(session.send(`Question ${i}`))
      expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: `Answer ${i}.` })
      compressions.push(...eventsOfType(events, 'history-compressed'))
      expect(backend.sessions[0]!.tokenCount).toBeLessThanOrEqual(base + 200)
      const parsed = parseMossTranscript(backend.text)
      expect(parsed.turns.at(-1)?.record.human).toBe(`Question ${i}`)
    }
    expect(compressions.some((c) => c.resultsDropped > 0)).toBe(true)
    expect(compressions.some((c) => c.turnsDropped > 0)).toBe(true)
    expect(backend.text).toContain('<|Results|>: None<eor>\n')
    expect(backend.text).not.toContain('Question 0')
    expect(session.turns).toHaveLength(5)
    // Call ids stay unique within the session even after old turns were trimmed.
    const ids = session.turns.flatMap((t) => t.results.map((r) => r.call.id))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('the default calculator fixture computes 23*47', async () => {
    await expect(calculator.run('23*47')).resolves.toEqual({ text: '1081' })
  })
})

describe('MOSS thought that runs out of tokens', () => {
  const longThought = ` ${'Let me think this through carefully. '.repeat(20)}`

  it('with the commands grammar on: the thought is closed and a constrained commands span is generated', async () => {
    const { agent, backend } = mossAgent([longThought, ' Calculate("23*47")<eoc>', answerGeneration('It is 1081.')], { budgets: { maxTokensPerGeneration: 40 } })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('23*47?'))
    expect(budgetOf(events)).toBe('tokens')
    const forced = backend.requests[1]
    expect(forced?.stop).toEqual(['<eoc>'])
    expect(forced?.constrain?.trigger).toBe('<|Commands|>:')
    expect(forced?.maxTokens).toBe(40)
    expect(forced?.constrain?.gbnf).toContain('"Calculate"')
    expect(eventsOfType(events, 'tool-result').map((r) => r.output)).toEqual(['1081'])
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'It is 1081.' })
    const record = session.turns[0]!
    expect(record.commands).toBe('Calculate("23*47")')
    expect(longThought.startsWith(` ${record.thought}`)).toBe(true)
    // The transcript has MOSS's exact layout and parses back to the same record.
    expect(backend.text).toContain(`${record.thought}<eot>\n<|Commands|>: Calculate("23*47")<eoc>\n<|Results|>:`)
    expect(parseMossTranscript(backend.text).turns[0]?.record).toMatchObject({ thought: record.thought, commands: record.commands, answer: 'It is 1081.' })
  })

  it('with the grammar off: the thought is closed with None and the turn still answers', async () => {
    const { agent, backend } = mossAgent([longThought, answerGeneration('Hello.')], {
      budgets: { maxTokensPerGeneration: 40 },
      formatOptions: { constrainCommands: false },
    })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('hi'))
    expect(budgetOf(events)).toBe('tokens')
    expect(backend.requests).toHaveLength(2)
    expect(backend.requests[0]?.constrain).toBeUndefined()
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'Hello.' })
    expect(session.turns[0]?.commands).toBe('None')
    expect(backend.text).toContain('<eot>\n<|Commands|>: None<eoc>\n<|Results|>:\nNone\n<eor>\n<|MOSS|>: Hello.<eom>')
  })
})

describe('MOSS turn closing on a full context', () => {
  it('a finished turn is closed and recorded even when no room for another generation is left', async () => {
    const script = () => [firstGeneration('Chat.', 'None'), answerGeneration('word '.repeat(40).trim())]
    const budgets = { maxTokensPerGeneration: 60 }
    // Measure the transcript around the answer on an unbounded context first.
    const probe = mossAgent(script(), { budgets })
    const probeSession = await probe.agent.createSession()
    await collectEvents(probeSession.send('hi'))
    const end = probe.backend.sessions[0]!.tokenCount
    // Enough room for the answer, but not for the answer plus another whole generation after it.
    const { agent, backend } = mossAgent(script(), { budgets }, { contextSize: end + 10 })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('hi'))
    expect(eventsOfType(events, 'error')).toEqual([])
    expect(eventsOfType(events, 'history-compressed')).toEqual([])
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false })
    expect(session.turns).toHaveLength(1)
    expect(backend.text.endsWith('<eom>\n')).toBe(true)
  })
})

describe('MOSS turn on a context smaller than one generation budget', () => {
  it('generates with the room that is left instead of failing the turn', async () => {
    const probe = mossAgent([])
    await probe.agent.createSession()
    const base = probe.backend.sessions[0]!.tokenCount
    // Room for the question and both generations, but far less than the 400-token budget of one generation.
    const { agent, backend } = mossAgent([firstGeneration('Chat.', 'None'), answerGeneration('Hello there.')], { budgets: { maxTokensPerGeneration: 400 } }, { contextSize: base + 140 })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('hi'))
    expect(eventsOfType(events, 'error')).toEqual([])
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'Hello there.' })
    expect(session.turns).toHaveLength(1)
    expect(backend.requests.every((r) => r.maxTokens === 400)).toBe(true)
  })
})
