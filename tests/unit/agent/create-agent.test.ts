import { describe, expect, it } from 'vitest'
import { createAgent } from '../../../src/agent/create-agent.js'
import { defaultBudgets } from '../../../src/agent/index.js'
import { ConfigError } from '../../../src/errors.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { ScriptedBackend, collectEvents, eventsOfType } from '../../../src/testing/index.js'
import { createTinyFormat } from './tiny-format.js'
import { recordingLogger } from './tiny-fixtures.js'

describe('createAgent', () => {
  it('fails fast on a missing backend or a malformed format', () => {
    expect(() => createAgent({} as never)).toThrow(ConfigError)
    expect(() => createAgent({ backend: new ScriptedBackend(), format: { name: 'x' } as never })).toThrow(ConfigError)
    expect(() => createAgent({ backend: new ScriptedBackend(), format: 'no-such-format' })).toThrow(
      expect.objectContaining({ code: 'MOSS_ERR_CONFIG' }),
    )
  })

  it('defaults to the MOSS format', () => {
    expect(createAgent({ backend: new ScriptedBackend() }).format.name).toBe('moss')
  })

  it('documents its budget defaults', () => {
    expect(defaultBudgets).toEqual({
      maxCommands: 8,
      maxSteps: 6,
      maxTokensPerGeneration: 512,
      maxTurnMs: 120_000,
      pluginTimeoutMs: 30_000,
      maxResultChars: 20_000,
      maxInputChars: 100_000,
    })
  })

  it('plugins disabled by definition start disabled in every session', async () => {
    const off = definePlugin({ name: 'off', command: 'Off', description: '', enabled: false, run: () => '' })
    const on = definePlugin({ name: 'on', command: 'On', description: '', run: () => '' })
    const backend = new ScriptedBackend()
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [off, on] })
    const session = await agent.createSession()
    expect(session.enabledPlugins).toEqual(['on'])
    expect(backend.text).toBe('<sys>tools: On</sys>\n')
    await session.setPluginEnabled('off', true)
    expect(session.enabledPlugins).toEqual(['off', 'on'])
  })

  it('a plugin that is unavailable (no service configured) cannot be enabled, and the prefix is left alone', async () => {
    const paint = definePlugin({ name: 'paint', command: 'Paint', description: '', enabled: false, unavailable: 'no image backend', run: () => '' })
    const backend = new ScriptedBackend()
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [paint] })
    const session = await agent.createSession()
    await expect(session.setPluginEnabled('paint', true)).rejects.toMatchObject({
      code: 'MOSS_ERR_CONFIG',
      message: 'Plugin "paint" cannot be enabled: no image backend',
    })
    expect(session.enabledPlugins).toEqual([])
    await session.setPluginEnabled('paint', false)
    expect(session.enabledPlugins).toEqual([])
  })

  it('an unavailable plugin starts off even without enabled: false, and even with enabled: true', async () => {
    const paint = definePlugin({ name: 'paint', command: 'Paint', description: '', unavailable: 'no image backend', run: () => '' })
    const draw = definePlugin({ name: 'draw', command: 'Draw', description: '', enabled: true, unavailable: 'no GPU', run: () => '' })
    const on = definePlugin({ name: 'on', command: 'On', description: '', run: () => '' })
    expect([paint.enabled, draw.enabled, on.enabled]).toEqual([false, false, true])
    const backend = new ScriptedBackend()
    const session = await createAgent({ backend, format: createTinyFormat(), plugins: [paint, draw, on] }).createSession()
    expect(session.enabledPlugins).toEqual(['on'])
    expect(backend.text).toBe('<sys>tools: On</sys>\n')
  })

  it('images produced by a plugin become tool-result images and image events', async () => {
    const painter = definePlugin({
      name: 'painter',
      command: 'Paint',
      description: '',
      run: () => ({ text: 'painted', images: [{ path: '/tmp/cat.png', mimeType: 'image/png' }] }),
    })
    const backend = new ScriptedBackend(['<call>Paint(猫)</call>', 'Here.</bot>'])
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [painter] })
    const events = await collectEvents((await agent.createSession()).send('画一只猫'))
    expect(eventsOfType(events, 'tool-result')[0]?.images).toEqual([{ path: '/tmp/cat.png', mimeType: 'image/png' }])
    expect(eventsOfType(events, 'image')).toEqual([{ type: 'image', path: '/tmp/cat.png', mimeType: 'image/png' }])
  })

  it('dispose disposes every plugin and survives a failing one, but not the backend', async () => {
    const disposed: string[] = []
    const logger = recordingLogger()
    const a = definePlugin({ name: 'a', command: 'A', description: '', run: () => '', dispose: () => void disposed.push('a') })
    const b = definePlugin({ name: 'b', command: 'B', description: '', run: () => '', dispose: () => { throw new Error('nope') } })
    const backend = new ScriptedBackend()
    const agent = createAgent({ backend, format: createTinyFormat(), plugins: [a, b], logger })
    await agent.dispose()
    expect(disposed).toEqual(['a'])
    expect(logger.entries.some((e) => e.level === 'warn')).toBe(true)
    expect(backend.isDisposed).toBe(false)
  })
})
