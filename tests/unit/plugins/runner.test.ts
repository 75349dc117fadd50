import { describe, expect, it } from 'vitest'
import { AbortedError, PluginError, PluginNotFoundError } from '../../../src/errors.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { createPluginRegistry } from '../../../src/plugins/registry.js'
import { runPluginCalls } from '../../../src/plugins/runner.js'
import type { PluginContext } from '../../../src/plugins/types.js'
import { hostileValues } from '../../helpers/hostile-values.js'

const call = (command: string, input = 'x', id = `id_${command}`) => ({ id, command, input })

function registry() {
  let concurrent = 0
  let peak = 0
  const seen: PluginContext[] = []
  const plugins = [
    definePlugin({
      name: 'slow-echo',
      command: 'Echo',
      description: '',
      async run(input, ctx) {
        seen.push(ctx)
        concurrent++
        peak = Math.max(peak, concurrent)
        await new Promise((resolve) => setTimeout(resolve, 20))
        concurrent--
        return `echo:${input}`
      },
    }),
    definePlugin({ name: 'thrower', command: 'Throw', description: '', run: () => { throw new TypeError('kaputt') } }),
    // Ignores its signal on purpose: the runner must not wait for it.
    definePlugin({ name: 'hang', command: 'Hang', description: '', timeoutMs: 30, run: () => new Promise<string>(() => {}) }),
    definePlugin({ name: 'flood', command: 'Flood', description: '', run: () => 'x'.repeat(5000) }),
    definePlugin({ name: 'number', command: 'Number', description: '', run: () => 42 as unknown as string }),
    definePlugin({ name: 'off', command: 'Off', description: '', enabled: false, run: () => 'never' }),
    definePlugin({
      name: 'image',
      command: 'Image',
      description: '',
      run: () => ({ text: 'ok', images: [{ path: '/tmp/a.png', mimeType: 'image/png' }] }),
    }),
  ]
  return { registry: createPluginRegistry(plugins), seen, peak: () => peak }
}

describe('runPluginCalls', () => {
  it('runs the calls of a step concurrently and returns outcomes in call order', async () => {
    const r = registry()
    const outcomes = await runPluginCalls(r.registry, [call('Echo', 'a', '1'), call('Echo', '中文', '2'), call('Image', 'i', '3')])
    expect(outcomes.map((o) => o.ok && o.output.text)).toEqual(['echo:a', 'echo:中文', 'ok'])
    expect(outcomes.map((o) => o.call.id)).toEqual(['1', '2', '3'])
    expect(r.peak()).toBe(2)
    expect(outcomes[2]?.ok && outcomes[2].output.images).toEqual([{ path: '/tmp/a.png', mimeType: 'image/png' }])
    expect(r.seen[0]?.signal.aborted).toBe(false)
  })

  it('turns throws, timeouts, floods, non-string output and unknown commands into typed errors', async () => {
    const r = registry()
    const outcomes = await runPluginCalls(
      r.registry,
      [call('Throw'), call('Hang'), call('Flood'), call('Number'), call('Nope'), call('Off')],
      { maxResultChars: 1000 },
    )
    const errors = outcomes.map((o) => (o.ok ? undefined : o.error))
    expect(errors.every((e) => e !== undefined)).toBe(true)
    expect(errors[0]).toBeInstanceOf(PluginError)
    expect(errors[0]?.message).toContain('kaputt')
    expect(errors[0]?.cause).toBeInstanceOf(TypeError)
    expect(errors[1]?.code).toBe('MOSS_ERR_PLUGIN_TIMEOUT')
    expect(errors[2]?.code).toBe('MOSS_ERR_PLUGIN_OUTPUT_TOO_LARGE')
    expect(errors[3]?.code).toBe('MOSS_ERR_PLUGIN_FAILED')
    expect(errors[3]?.message).toContain('number')
    expect(errors[4]).toBeInstanceOf(PluginNotFoundError)
    expect(errors[5]).toBeInstanceOf(PluginNotFoundError)
  })

  it('uses the default timeout for plugins without their own and signals the plugin', async () => {
    let signalled = false
    const plugin = definePlugin({
      name: 'waits',
      command: 'Wait',
      description: '',
      run: (_input, ctx) =>
        new Promise<string>((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            signalled = true
            reject(new Error('stopped'))
          })
        }),
    })
    const [outcome] = await runPluginCalls(createPluginRegistry([plugin]), [call('Wait')], { timeoutMs: 20 })
    expect(outcome?.ok).toBe(false)
    expect(!outcome?.ok && outcome?.error.code).toBe('MOSS_ERR_PLUGIN_TIMEOUT')
    expect(signalled).toBe(true)
  })

  it('aborting the turn ends hung calls at once with AbortedError', async () => {
    const r = registry()
    const controller = new AbortController()
    const hung = definePlugin({ name: 'forever', command: 'Forever', description: '', run: () => new Promise<string>(() => {}) })
    const running = runPluginCalls(createPluginRegistry([hung]), [call('Forever')], { signal: controller.signal, timeoutMs: 60_000 })
    setTimeout(() => controller.abort(), 5)
    const [outcome] = await running
    expect(!outcome?.ok && outcome?.error).toBeInstanceOf(AbortedError)
    const [already] = await runPluginCalls(r.registry, [call('Echo')], { signal: AbortSignal.abort() })
    expect(!already?.ok && already?.error).toBeInstanceOf(AbortedError)
  })

  it('honours isEnabled over the plugin flag', async () => {
    const r = registry()
    const [outcome] = await runPluginCalls(r.registry, [call('Off')], { isEnabled: () => true })
    expect(outcome?.ok && outcome.output.text).toBe('never')
  })
})

describe('runPluginCall with hostile values', () => {
  it.each(hostileValues())('a plugin that throws %s gets a PluginError outcome', async (_name, make) => {
    const plugin = definePlugin({ name: 'hostile', command: 'Hostile', description: '', run: () => { throw make() } })
    const [outcome] = await runPluginCalls(createPluginRegistry([plugin]), [call('Hostile')])
    expect(outcome?.ok).toBe(false)
    if (outcome?.ok !== false) return
    expect(outcome.error).toBeInstanceOf(PluginError)
    expect(outcome.error.message).toMatch(/^Plugin "hostile" failed: ./)
  })

  it.each(hostileValues())('a plugin that rejects with or returns %s gets a PluginError outcome', async (_name, make) => {
    const rejecting = definePlugin({ name: 'rejecting', command: 'Reject', description: '', run: () => Promise.reject(make()) })
    const returning = definePlugin({ name: 'returning', command: 'Return', description: '', run: () => make() as string })
    const outcomes = await runPluginCalls(createPluginRegistry([rejecting, returning]), [call('Reject'), call('Return')])
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false)
      if (!outcome.ok) expect(outcome.error).toBeInstanceOf(PluginError)
    }
  })
})
