import { describe, expect, it } from 'vitest'
import { BudgetExceededError } from '../../../src/errors.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { PluginContext } from '../../../src/plugins/types.js'
import { collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { calc, echo, tinyAgent } from './tiny-fixtures.js'

function budgetOf(events: Awaited<ReturnType<typeof collectEvents>>): string | undefined {
  const error = eventsOfType(events, 'error')[0]?.error
  return error instanceof BudgetExceededError ? error.budget : undefined
}

describe('abort', () => {
  it('mid-generation: the stream stops, turn-finish is aborted, the next send works', async () => {
    const { agent, backend } = tinyAgent([{ text: 'thinking hard', hang: true }, 'back</bot>'])
    const session = await agent.createSession()
    const before = backend.text
    const controller = new AbortController()
    const events = []
    for await (const event of session.send('x', { signal: controller.signal })) {
      events.push(event)
      if (event.type === 'text-delta') controller.abort()
    }
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(eventsOfType(events, 'error')).toHaveLength(0)
    expect(backend.text).toBe(before)
    expect(session.turns).toHaveLength(0)
    expect((await session.ask('y')).text).toBe('back')
  })

  it('mid-plugin: the plugin gets the signal, a plugin ignoring it does not hang the turn', async () => {
    const signals: AbortSignal[] = []
    const polite = definePlugin({
      name: 'polite',
      command: 'Polite',
      description: '',
      run: (_input: string, ctx: PluginContext) =>
        new Promise<string>((_, reject) => {
          signals.push(ctx.signal)
          ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))
        }),
    })
    const rude = definePlugin({ name: 'rude', command: 'Rude', description: '', run: () => new Promise<string>(() => {}) })
    const { agent, backend } = tinyAgent(['<call>Polite(a);Rude(b)</call>', 'after</bot>'], { plugins: [polite, rude] })
    const session = await agent.createSession()
    const before = backend.text
    const controller = new AbortController()
    const events = []
    for await (const event of session.send('x', { signal: controller.signal })) {
      events.push(event)
      if (event.type === 'tool-call' && event.name === 'Rude') setTimeout(() => controller.abort(), 5)
    }
    expect(signals[0]?.aborted).toBe(true)
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(backend.text).toBe(before)
    expect((await session.ask('y')).text).toBe('after')
  })

  it('an already aborted signal ends the turn before generating', async () => {
    const { agent, backend } = tinyAgent(['unused</bot>'])
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x', { signal: AbortSignal.abort() }))
    expect(events.map((e) => e.type)).toEqual(['turn-start', 'turn-finish'])
    expect(backend.remaining).toBe(1)
  })
})

describe('plugin failures reach the model as results', () => {
  it('throwing, hanging and flooding plugins produce tool-error events and error results; the turn completes', async () => {
    const thrower = definePlugin({ name: 'thrower', command: 'Boom', description: '', run: () => { throw new Error('kaputt') } })
    const hang = definePlugin({ name: 'hang', command: 'Hang', description: '', timeoutMs: 20, run: () => new Promise<string>(() => {}) })
    const flood = definePlugin({ name: 'flood', command: 'Flood', description: '', run: () => '洪'.repeat(50_000) })
    const { agent, backend } = tinyAgent(['<call>Boom(1);Hang(2);Flood(3);Calc(2*3)</call>', 'coped</bot>'], {
      plugins: [thrower, hang, flood, calc],
      budgets: { maxResultChars: 1000 },
    })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    const errors = eventsOfType(events, 'tool-error')
    expect(errors.map((e) => [e.name, e.error.code])).toEqual([
      ['Boom', 'MOSS_ERR_PLUGIN_FAILED'],
      ['Hang', 'MOSS_ERR_PLUGIN_TIMEOUT'],
      ['Flood', 'MOSS_ERR_PLUGIN_OUTPUT_TOO_LARGE'],
    ])
    expect(eventsOfType(events, 'tool-result').map((e) => e.output)).toEqual(['6'])
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'coped' })
    expect(backend.text).not.toContain('洪洪')
    expect(session.turns[0]?.results.map((r) => r.ok)).toEqual([false, false, false, true])
  })
})

describe('budgets', () => {
  it('commands', async () => {
    const { agent, backend } = tinyAgent(['<call>Echo(1);Echo(2);Echo(3)</call>'], { budgets: { maxCommands: 2 } })
    const session = await agent.createSession()
    const before = backend.text
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('commands')
    expect(eventsOfType(events, 'tool-result')).toHaveLength(0)
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(backend.text).toBe(before)
  })

  it('steps', async () => {
    const { agent } = tinyAgent(['<call>Echo(1)</call>', '<call>Echo(2)</call>', '<call>Echo(3)</call>'], { budgets: { maxSteps: 2 } })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('steps')
    expect(eventsOfType(events, 'tool-result')).toHaveLength(2)
    expect(session.turns).toHaveLength(0)
  })

  it('tokens: a truncated answer is closed and recorded, with an error event', async () => {
    const { agent, backend } = tinyAgent(['a'.repeat(100) + '</bot>'], { budgets: { maxTokensPerGeneration: 5 } })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('tokens')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'a'.repeat(20) })
    expect(backend.requests[0]?.maxTokens).toBe(5)
    expect(backend.text.endsWith(`${'a'.repeat(20)}</bot>\n`)).toBe(true)
  })

  it('tokens: truncated commands end the turn', async () => {
    const { agent } = tinyAgent(['<call>Echo(' + 'z'.repeat(100)], { budgets: { maxTokensPerGeneration: 5 } })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('tokens')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
  })

  it('time: a slow turn ends with a time budget error and the session still works', async () => {
    const { agent, backend } = tinyAgent([{ text: 'slow', hang: true }, 'quick</bot>'], { budgets: { maxTurnMs: 30 } })
    const session = await agent.createSession()
    const before = backend.text
    const events = await collectEvents(session.send('x'))
    expect(budgetOf(events)).toBe('time')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(backend.text).toBe(before)
    expect((await session.ask('y')).text).toBe('quick')
  })

  it('input length', async () => {
    const { agent } = tinyAgent([], { budgets: { maxInputChars: 10 } })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'.repeat(11)))
    expect(eventsOfType(events, 'error')[0]?.error.code).toBe('MOSS_ERR_INVALID_INPUT')
  })

  it('invalid budgets and duplicate plugins fail at createAgent', () => {
    expect(() => tinyAgent([], { budgets: { maxSteps: 0 } })).toThrow(/maxSteps/)
    expect(() => tinyAgent([], { plugins: [echo, echo] })).toThrow(expect.objectContaining({ code: 'MOSS_ERR_PLUGIN_REGISTRATION' }))
  })
})
