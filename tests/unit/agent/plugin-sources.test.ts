/**
 * Plugin sources in the agent: setup before the first session, tools joining the plugin list, a change adopted at
 * the next turn (system prefix re-rendered, the turns already in the transcript kept byte for byte), failures and
 * clashes logged without stopping the agent, disposal, and progress reports streamed as events.
 */
import { describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { PluginSource, PluginSourceContext, PluginSourceStatus } from '../../../src/plugins/source.js'
import type { Plugin } from '../../../src/plugins/types.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { createTinyFormat } from './tiny-format.js'
import { calc, recordingLogger } from './tiny-fixtures.js'

/** A source whose tools the test sets; `announce` tells the agent. */
class MemorySource implements PluginSource {
  readonly kind = 'plugin-source' as const
  readonly description = 'in memory'
  ctx: PluginSourceContext | undefined
  disposed = false
  state: PluginSourceStatus = { state: 'starting' }
  constructor(
    readonly name: string,
    public list: Plugin[],
    private readonly setupWork: () => Promise<void> = async () => undefined,
  ) {}
  async setup(ctx: PluginSourceContext): Promise<void> {
    this.ctx = ctx
    await this.setupWork()
    this.state = { state: 'ready' }
  }
  tools(): readonly Plugin[] {
    return this.list
  }
  status(): PluginSourceStatus {
    return this.state
  }
  announce(list: Plugin[]): void {
    this.list = list
    this.ctx?.changed()
  }
  async dispose(): Promise<void> {
    this.disposed = true
  }
}

const tool = (name: string, command: string, text = name): Plugin => definePlugin({ name, command, description: name, run: () => text })

describe('plugin sources', () => {
  it('are set up before the first session opens, and their tools join the fixed plugins', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const source = new MemorySource('mem', [tool('weather', 'Weather')], () => gate)
    const backend = new ScriptedBackend()
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [calc, source] })
    const opening = agent.createSession()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(backend.sessions).toHaveLength(0)
    release()
    const session = await opening
    expect(backend.text).toBe('<sys>tools: Calc,Weather</sys>\n')
    expect(session.enabledPlugins).toEqual(['calc', 'weather'])
    expect(agent.plugins.map((p) => p.name)).toEqual(['calc', 'weather'])
    expect(agent.sources).toEqual([{ name: 'mem', description: 'in memory', status: { state: 'ready' }, tools: source.list }])
  })

  it('a change is adopted at the start of the next turn: system prefix re-rendered, earlier turns kept exactly', async () => {
    const source = new MemorySource('mem', [tool('weather', 'Weather', 'sunny')])
    const backend = new ScriptedBackend(['<call>Weather(Paris)</call>', 'Sunny.</bot>', 'Done.</bot>'])
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [calc, source] })
    const changes: number[] = []
    agent.onPluginsChanged(() => changes.push(agent.plugins.length))
    const session = await agent.createSession()
    await session.ask('weather?')
    const afterFirst = backend.prompt
    source.announce([tool('weather', 'Weather', 'sunny'), tool('forecast', 'Forecast')])
    // Once when the source came up, once now.
    expect(changes).toEqual([2, 3])
    // Nothing happens to the session until its next turn.
    expect(backend.prompt).toEqual(afterFirst)
    await session.ask('and now?')
    const now = backend.prompt
    expect(now[0]?.text).toBe('<sys>tools: Calc,Weather,Forecast</sys>\n')
    expect(now.slice(1, afterFirst.length)).toEqual(afterFirst.slice(1))
    expect(session.enabledPlugins).toEqual(['calc', 'weather', 'forecast'])
    // A tool that disappears is dropped from the session too.
    source.announce([])
    await session.setPluginEnabled('calc', true)
    expect(session.enabledPlugins).toEqual(['calc'])
    expect(backend.prompt[0]?.text).toBe('<sys>tools: Calc</sys>\n')
  })

  it('a user switch survives a change of the list', async () => {
    const source = new MemorySource('mem', [tool('weather', 'Weather')])
    const backend = new ScriptedBackend(['ok</bot>'])
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [source] })
    const session = await agent.createSession()
    await session.setPluginEnabled('weather', false)
    source.announce([tool('weather', 'Weather'), tool('news', 'News')])
    await session.ask('hi')
    expect(session.enabledPlugins).toEqual(['news'])
  })

  it('a source that fails to start is logged and the agent works with the rest', async () => {
    const logger = recordingLogger()
    const broken = new MemorySource('broken', [], async () => {
      throw new Error('spawn ENOENT')
    })
    const backend = new ScriptedBackend(['<call>Calc(6*7)</call>', '42.</bot>'])
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [calc, broken], logger })
    const reply = await (await agent.createSession()).ask('6*7?')
    expect(reply.text).toBe('42.')
    expect(logger.entries).toContainEqual({ level: 'error', message: 'The plugin source failed to start' })
  })

  it('a tool whose name or command is taken is left out with a warning', async () => {
    const logger = recordingLogger()
    const source = new MemorySource('mem', [tool('calc', 'Other'), tool('x', 'Calc'), tool('ok', 'Ok')])
    const agent = createAgent({ backend: new ScriptedBackend(), format: createTinyFormat(), plugins: [calc, source], logger })
    await agent.ready()
    expect(agent.plugins.map((p) => p.name)).toEqual(['calc', 'ok'])
    expect(agent.sources[0]?.tools.map((p) => p.name)).toEqual(['ok'])
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(2)
  })

  it('two sources with one name are a configuration error', () => {
    const a = new MemorySource('same', [])
    const b = new MemorySource('same', [])
    expect(() => createAgent({ backend: new ScriptedBackend(), plugins: [a, b] })).toThrow(expect.objectContaining({ code: 'MOSS_ERR_CONFIG' }))
  })

  it('sources are disposed with the agent', async () => {
    const source = new MemorySource('mem', [])
    const agent = createAgent({ backend: new ScriptedBackend(), plugins: [source] })
    await agent.dispose()
    expect(source.disposed).toBe(true)
  })

  it('progress a plugin reports is streamed as tool-progress events before its result', async () => {
    const slow = definePlugin({
      name: 'slow',
      command: 'Slow',
      description: '',
      async run(_input, ctx) {
        for (let i = 1; i <= 3; i++) {
          ctx.progress({ progress: i, total: 3, message: `step ${i}` })
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
        return 'finished'
      },
    })
    const backend = new ScriptedBackend(['<call>Slow(go)</call>', 'ok</bot>'])
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [slow] })
    const events = await collectEvents((await agent.createSession()).send('go'))
    expect(eventsOfType(events, 'tool-progress').map((e) => [e.progress, e.total, e.message])).toEqual([
      [1, 3, 'step 1'],
      [2, 3, 'step 2'],
      [3, 3, 'step 3'],
    ])
    const types = events.map((e) => e.type)
    expect(types.lastIndexOf('tool-progress')).toBeLessThan(types.indexOf('tool-result'))
  })
})
