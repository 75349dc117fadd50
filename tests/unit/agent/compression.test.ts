import { describe, expect, it } from 'vitest'
import { collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { tinyAgent } from './tiny-fixtures.js'

describe('context overflow', () => {
  it('compresses old results first, then drops whole oldest turns, and never crashes', async () => {
    const bigInput = 'r'.repeat(120)
    const outputs = [`<call>Echo(${bigInput})</call>`, 'one</bot>', `<call>Echo(${bigInput})</call>`, 'two</bot>', 'three</bot>']
    // One token per 4 characters: the system prefix is 7 tokens, a tool turn about 80, generations reserve 40.
    const { agent, backend } = tinyAgent(outputs, { budgets: { maxTokensPerGeneration: 40 } }, { contextSize: 200 })
    const session = await agent.createSession()
    const first = await collectEvents(session.send('first'))
    expect(eventsOfType(first, 'history-compressed')).toHaveLength(0)
    const second = await collectEvents(session.send('second'))
    expect(eventsOfType(second, 'history-compressed')).toEqual([{ type: 'history-compressed', resultsDropped: 1, turnsDropped: 0 }])
    expect(backend.text).toContain('<user>first</user>')
    expect(backend.text).toContain('<res>dropped</res>')
    expect(second.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'two' })

    const third = await collectEvents(session.send('q'.repeat(200)))
    const drops = eventsOfType(third, 'history-compressed')
    expect(drops.reduce((n, e) => n + e.turnsDropped, 0)).toBe(1)
    expect(third.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'three' })
    expect(backend.text.startsWith('<sys>tools: Calc,Echo</sys>\n<user>second</user>')).toBe(true)
    expect(backend.sessions[0]!.tokenCount).toBeLessThanOrEqual(200)
    expect(session.turns.map((t) => t.answer)).toEqual(['one', 'two', 'three'])
  })

  it('reports an overflow error and rolls back when even one turn cannot fit', async () => {
    const { agent, backend } = tinyAgent(['x</bot>'], { budgets: { maxTokensPerGeneration: 8 } }, { contextSize: 30 })
    const session = await agent.createSession()
    const before = backend.text
    const events = await collectEvents(session.send('y'.repeat(200)))
    expect(eventsOfType(events, 'error')[0]?.error.code).toBe('MOSS_ERR_CONTEXT_OVERFLOW')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(backend.text).toBe(before)
  })
})
