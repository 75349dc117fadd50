import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseMossTranscript } from '../../../src/formats/index.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { collectEvents, eventsOfType, streamedText } from '../../../src/testing/index.js'
import { hostileValues } from '../../helpers/hostile-values.js'
import { answerGeneration, firstGeneration, mossAgent } from './moss-fixtures.js'

describe('a MOSS turn through the agent', () => {
  it('Calculate("23*47"): tool-call, tool-result, text deltas, turn-finish and a byte-exact transcript', async () => {
    const { agent, backend } = mossAgent([
      firstGeneration('The user wants a product. I should use the calculator.', 'Calculate("23*47")'),
      answerGeneration('23*47 = 1081.'),
    ])
    const session = await agent.createSession()
    const events = await collectEvents(session.send('What is 23*47?'))
    expect(eventsOfType(events, 'tool-call')).toEqual([{ type: 'tool-call', id: expect.any(String), name: 'Calculate', input: '23*47' }])
    expect(eventsOfType(events, 'tool-result')[0]).toMatchObject({ name: 'Calculate', input: '23*47', output: '1081' })
    const thought = eventsOfType(events, 'thought-delta').map((e) => e.text).join('')
    expect(thought).toContain('I should use the calculator.')
    expect(thought).not.toContain('<')
    expect(streamedText(events).trim()).toBe('23*47 = 1081.')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', text: '23*47 = 1081.', aborted: false })
    const turnText = backend.text.slice(backend.text.indexOf('<|Human|>'))
    expect(turnText).toBe(
      '<|Human|>: What is 23*47?<eoh>\n' +
        '<|Inner Thoughts|>: The user wants a product. I should use the calculator.<eot>\n' +
        '<|Commands|>: Calculate("23*47")<eoc>\n' +
        "<|Results|>:\nCalculate(\"23*47\") => '1081'\n<eor>\n" +
        '<|MOSS|>: 23*47 = 1081.<eom>\n',
    )
    expect(backend.text).toContain('- Calculator: enabled. API: Calculate(expression)\n')
    expect(session.turns[0]).toMatchObject({ human: 'What is 23*47?', commands: 'Calculate("23*47")', answer: '23*47 = 1081.' })
    // The live transcript and the one rebuilt from records are the same text.
    const parsed = parseMossTranscript(backend.text)
    expect(parsed.turns).toHaveLength(1)
    expect(parsed.turns[0]?.record.answer).toBe('23*47 = 1081.')
    expect(backend.requests[0]?.constrain?.trigger).toBeDefined()
  })

  it('Commands None: the empty results block and the answer', async () => {
    const { agent, backend } = mossAgent([firstGeneration('A greeting; no tool needed.', 'None'), answerGeneration('Hello! 你好！')])
    const session = await agent.createSession()
    const reply = await session.ask('Hi 你好')
    expect(reply.text).toBe('Hello! 你好！')
    expect(eventsOfType(reply.events, 'tool-call')).toHaveLength(0)
    expect(backend.text.endsWith('<|Commands|>: None<eoc>\n<|Results|>:\nNone\n<eor>\n<|MOSS|>: Hello! 你好！<eom>\n')).toBe(true)
  })

  it('a plugin that throws becomes a failed result the model sees and a tool-error event', async () => {
    const { agent, backend } = mossAgent([firstGeneration('Compute.', 'Calculate("x/0")'), answerGeneration('I could not compute it.')])
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x/0?'))
    expect(eventsOfType(events, 'tool-error')[0]?.error.code).toBe('MOSS_ERR_PLUGIN_FAILED')
    expect(backend.text).toContain('Calculate("x/0") => No calculation results.')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false })
  })

  it.each(hostileValues())('a plugin that throws %s: a tool-error the model sees, and the turn answers', async (_name, make) => {
    const hostile = definePlugin({ name: 'calculator', command: 'Calculate', description: 'throws', label: 'Calculator', run: () => { throw make() } })
    const { agent, backend } = mossAgent([firstGeneration('Compute.', 'Calculate("1+1")'), answerGeneration('It failed.')], { plugins: [hostile] })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('1+1?'))
    expect(eventsOfType(events, 'tool-error').map((e) => e.error.code)).toEqual(['MOSS_ERR_PLUGIN_FAILED'])
    expect(eventsOfType(events, 'error')).toEqual([])
    expect(backend.text).toContain('Calculate("1+1") => No calculation results.\n<eor>\n<|MOSS|>: It failed.<eom>')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false, text: 'It failed.' })
    expect(session.turns).toHaveLength(1)
  })

  it('no plugins: a single answer generation with the fixed None block', async () => {
    const { agent, backend } = mossAgent([answerGeneration('Plain answer.')], { plugins: [] })
    const session = await agent.createSession()
    expect((await session.ask('hello')).text).toBe('Plain answer.')
    expect(backend.text).toContain('<|Inner Thoughts|>: None<eot>\n<|Commands|>: None<eoc>\n<|Results|>: None<eor>\n<|MOSS|>: Plain answer.<eom>\n')
    expect(backend.requests).toHaveLength(1)
  })

  it('save and load round trip: the reloaded transcript equals the original', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-agent-'))
    try {
      for (const saveState of [true, false]) {
        const { agent, backend } = mossAgent(
          [
            firstGeneration('Use the calculator.', 'Calculate("23*47")'),
            answerGeneration('1081.'),
            firstGeneration('Chat.', 'None'),
            answerGeneration('好的。'),
          ],
          {},
          { saveState },
        )
        const session = await agent.createSession()
        await session.ask('23*47?')
        await session.ask('谢谢')
        const file = join(dir, `s-${saveState}.json`)
        await session.save(file)
        const original = backend.prompt
        const loaded = await agent.loadSession(file)
        expect(backend.prompt).toEqual(original)
        expect(loaded.turns).toEqual(session.turns)
        // The format rebuilds the very same text from the records.
        expect(agent.format.renderHistory(agent.plugins, loaded.turns).map((p) => p.text).join('')).toBe(backend.text)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('abort mid-plugin, then the next MOSS turn works and the transcript is consistent', async () => {
    let calls = 0
    const { agent, backend } = mossAgent(
      [firstGeneration('Compute.', 'Calculate("1+1")'), firstGeneration('Again.', 'Calculate("2+2")'), answerGeneration('4.')],
      {
        plugins: [
          definePlugin({
            name: 'calculator',
            command: 'Calculate',
            description: '',
            label: 'Calculator',
            // The first call ignores its signal and never settles: the abort must not wait for it.
            run: () => (++calls === 1 ? new Promise<string>(() => {}) : '4'),
          }),
        ],
      },
    )
    const session = await agent.createSession()
    const before = backend.text
    const controller = new AbortController()
    const events = []
    for await (const event of session.send('1+1?', { signal: controller.signal })) {
      events.push(event)
      if (event.type === 'tool-call') setTimeout(() => controller.abort(), 1)
    }
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(eventsOfType(events, 'tool-error')[0]?.error.code).toBe('MOSS_ERR_ABORTED')
    expect(backend.text).toBe(before)
    const reply = await session.ask('2+2?')
    expect(reply.text).toBe('4.')
    expect(session.turns).toHaveLength(1)
    expect(parseMossTranscript(backend.text).turns.map((t) => t.record.human)).toEqual(['2+2?'])
  })
})
