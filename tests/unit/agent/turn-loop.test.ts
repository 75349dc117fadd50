import { describe, expect, it } from 'vitest'
import { BackendError } from '../../../src/errors.js'
import { collectEvents, eventsOfType, streamedText } from '../../../src/testing/index.js'
import { recordingLogger, tinyAgent } from './tiny-fixtures.js'

describe('the turn loop (tiny format)', () => {
  it('runs a tool call and streams events in order', async () => {
    const { agent, backend } = tinyAgent(['<call>Calc(23*47)</call>', 'It is 1081.</bot>'])
    const session = await agent.createSession({ id: 's1' })
    const events = await collectEvents(session.send('What is 23*47?'))
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('turn-start')
    expect(types.at(-1)).toBe('turn-finish')
    expect(types.indexOf('tool-call')).toBeLessThan(types.indexOf('tool-result'))
    expect(types.indexOf('tool-result')).toBeLessThan(types.indexOf('text-delta'))
    expect(eventsOfType(events, 'tool-result')[0]).toMatchObject({ name: 'Calc', input: '23*47', output: '1081' })
    expect(streamedText(events)).toBe('It is 1081.')
    const finish = eventsOfType(events, 'turn-finish')[0]!
    expect(finish).toMatchObject({ text: 'It is 1081.', aborted: false })
    expect(finish.usage.generated).toBeGreaterThan(0)
    expect(finish.usage.evaluated).toBeGreaterThan(0)
    expect(finish.timings.firstTokenMs).toBeDefined()
    expect(session.turns).toHaveLength(1)
    expect(session.turns[0]).toMatchObject({ human: 'What is 23*47?', commands: 'Calc(23*47)', answer: 'It is 1081.' })
    expect(backend.text).toBe(
      '<sys>tools: Calc,Echo</sys>\n<user>What is 23*47?</user>\n<bot><call>Calc(23*47)</call><res>[ok]1081</res>It is 1081.</bot>\n',
    )
  })

  it('continue decisions append parts and generate again; ask collects the same loop', async () => {
    const { agent, backend } = tinyAgent(['<call>None</call>', 'Hi!</bot>'])
    const session = await agent.createSession()
    const reply = await session.ask('hello')
    expect(reply.text).toBe('Hi!')
    expect(reply.events.at(-1)?.type).toBe('turn-finish')
    expect(eventsOfType(reply.events, 'tool-call')).toHaveLength(0)
    expect(backend.text.endsWith('<bot><call>None</call><res>none</res>Hi!</bot>\n')).toBe(true)
  })

  it('applies rewrite decisions to the transcript and the model session', async () => {
    const { agent, backend } = tinyAgent(['<call>  Echo(x)  </call>', 'done</bot>'])
    const session = await agent.createSession()
    await session.ask('go')
    expect(backend.text).toContain('<call>Echo(x)</call><res>[ok]x</res>done</bot>')
    expect(backend.text).not.toContain('  Echo')
  })

  it('rejected calls become tool-error events and results the model sees', async () => {
    const { agent, backend } = tinyAgent(['<call>Nope(1);Echo(2)</call>', 'ok</bot>'])
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    const errors = eventsOfType(events, 'tool-error')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.error.code).toBe('MOSS_ERR_PLUGIN_NOT_FOUND')
    expect(eventsOfType(events, 'tool-call').map((e) => e.name)).toEqual(['Echo', 'Nope'])
    expect(backend.text).toContain('[error]unknown command Nope')
  })

  it('a halt from the scanner stops the stream and the transcript stays aligned with the model', async () => {
    const { agent, backend } = tinyAgent(['Sure.<user>fake</user></bot>'], {}, { chunkSize: 1 })
    const session = await agent.createSession()
    const events = await collectEvents(session.send('x'))
    expect(streamedText(events)).toBe('Sure.')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: false })
    expect(backend.text).not.toContain('fake')
    expect((session as unknown as { transcript: unknown }).transcript).toEqual(backend.prompt)
  })

  it('serialises turns: a second send waits for the first', async () => {
    const { agent } = tinyAgent(['one</bot>', 'two</bot>'])
    const session = await agent.createSession()
    const order: string[] = []
    const first = (async () => {
      for await (const event of session.send('a')) order.push(`a:${event.type}`)
    })()
    const second = (async () => {
      for await (const event of session.send('b')) order.push(`b:${event.type}`)
    })()
    await Promise.all([first, second])
    const lastA = order.lastIndexOf('a:turn-finish')
    const firstB = order.indexOf('b:turn-start')
    expect(lastA).toBeGreaterThanOrEqual(0)
    expect(firstB).toBeGreaterThan(lastA)
    expect(session.turns.map((t) => t.answer)).toEqual(['one', 'two'])
  })

  it('a throwing listener is logged and ignored; unsubscribe works', async () => {
    const logger = recordingLogger()
    const { agent } = tinyAgent(['fine</bot>', 'again</bot>'], { logger })
    const session = await agent.createSession()
    const seen: string[] = []
    const off = session.on((event) => {
      seen.push(event.type)
      throw new Error('listener bug')
    })
    session.on(() => Promise.reject(new Error('async listener bug')) as unknown as void)
    const reply = await session.ask('x')
    expect(reply.text).toBe('fine')
    expect(seen).toContain('turn-finish')
    await new Promise((resolve) => setImmediate(resolve))
    expect(logger.entries.filter((e) => e.level === 'warn').length).toBeGreaterThanOrEqual(seen.length)
    off()
    const count = seen.length
    await session.ask('y')
    expect(seen).toHaveLength(count)
  })

  it('a consumer that breaks early aborts the turn cleanly and the session keeps working', async () => {
    const { agent, backend } = tinyAgent(['<call>Echo(1)</call>', 'long answer here</bot>', 'second</bot>'], {}, { chunkSize: 1 })
    const session = await agent.createSession()
    const before = backend.prompt
    const heard: string[] = []
    session.on((event) => heard.push(event.type))
    for await (const event of session.send('x')) {
      if (event.type === 'text-delta') break
    }
    expect(session.turns).toHaveLength(0)
    expect(backend.prompt).toEqual(before)
    expect(heard.at(-1)).toBe('turn-finish')
    const reply = await session.ask('y')
    expect(reply.text).toBe('second')
    expect(backend.text).toBe(`${before.map((p) => p.text).join('')}<user>y</user>\n<bot>second</bot>\n`)
  })

  it('a consumer that throws inside the loop does not corrupt the session', async () => {
    const { agent, backend } = tinyAgent(['abc</bot>', 'next</bot>'])
    const session = await agent.createSession()
    const before = backend.text
    await expect(
      (async () => {
        for await (const event of session.send('x')) if (event.type === 'text-delta') throw new Error('consumer bug')
      })(),
    ).rejects.toThrow('consumer bug')
    expect(backend.text).toBe(before)
    await expect(session.ask('again')).resolves.toMatchObject({ text: 'next' })
  })

  it('a backend error becomes an error event, the turn is rolled back', async () => {
    const { agent, backend } = tinyAgent([new BackendError('engine fell over'), 'recovered</bot>'])
    const session = await agent.createSession()
    const before = backend.text
    const events = await collectEvents(session.send('x'))
    expect(eventsOfType(events, 'error')[0]?.error.message).toBe('engine fell over')
    expect(events.at(-1)).toMatchObject({ type: 'turn-finish', aborted: true })
    expect(backend.text).toBe(before)
    expect((await session.ask('y')).text).toBe('recovered')
  })

  it('per-session plugin switches re-render the system prefix', async () => {
    const { agent, backend } = tinyAgent(['<call>Calc(2*3)</call>', 'never</bot>'])
    const session = await agent.createSession()
    expect(session.enabledPlugins).toEqual(['calc', 'echo'])
    await session.setPluginEnabled('calc', false)
    expect(session.enabledPlugins).toEqual(['echo'])
    expect(backend.text).toBe('<sys>tools: Echo</sys>\n')
    const events = await collectEvents(session.send('x'))
    expect(eventsOfType(events, 'tool-error')[0]?.error.code).toBe('MOSS_ERR_PLUGIN_NOT_FOUND')
    const other = await agent.createSession()
    expect(other.enabledPlugins).toEqual(['calc', 'echo'])
    await expect(session.setPluginEnabled('nope', true)).rejects.toMatchObject({ code: 'MOSS_ERR_PLUGIN_NOT_FOUND' })
  })

  it('reset forgets the conversation, dispose closes the session', async () => {
    const { agent, backend } = tinyAgent(['a</bot>'])
    const session = await agent.createSession()
    await session.ask('x')
    await session.reset()
    expect(session.turns).toHaveLength(0)
    expect(backend.text).toBe('<sys>tools: Calc,Echo</sys>\n')
    await session.dispose()
    expect(backend.sessions[0]?.isDisposed).toBe(true)
    await expect(session.ask('y')).rejects.toMatchObject({ code: 'MOSS_ERR_CONFIG' })
  })
})
