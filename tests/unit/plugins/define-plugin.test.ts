import { describe, expect, it } from 'vitest'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { PluginRegistrationError } from '../../../src/errors.js'

describe('definePlugin', () => {
  it('can be called directly without a context', async () => {
    const echo = definePlugin({
      name: 'echo',
      command: 'Echo',
      description: 'Repeats its input',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      run: (input, ctx) => `${input} (${ctx.signal.aborted ? 'aborted' : 'live'})`,
    })
    expect(echo.argument).toBe('text')
    expect(echo.label).toBe('echo')
    expect(echo.enabled).toBe(true)
    await expect(echo.run('hi')).resolves.toEqual({ text: 'hi (live)' })
  })

  it('rejects a command that is not a word', () => {
    expect(() => definePlugin({ name: 'x', command: 'Bad Name', description: '', run: () => '' })).toThrow(
      PluginRegistrationError,
    )
  })
})
