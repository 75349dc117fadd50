import { describe, expect, it } from 'vitest'
import { PluginRegistrationError } from '../../../src/errors.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { createPluginRegistry } from '../../../src/plugins/registry.js'

const make = (name: string, command: string) => definePlugin({ name, command, description: name, run: () => name })

describe('createPluginRegistry', () => {
  it('indexes plugins by name and command, in order', () => {
    const registry = createPluginRegistry([make('calculator', 'Calculate'), make('search', 'Search')])
    expect(registry.plugins.map((p) => p.name)).toEqual(['calculator', 'search'])
    expect(registry.byCommand('Search')?.name).toBe('search')
    expect(registry.byName('calculator')?.command).toBe('Calculate')
    expect(registry.byCommand('Solve')).toBeUndefined()
  })

  it('rejects duplicate names and duplicate commands', () => {
    expect(() => createPluginRegistry([make('a', 'A'), make('a', 'B')])).toThrow(PluginRegistrationError)
    expect(() => createPluginRegistry([make('a', 'Calculate'), make('b', 'Calculate')])).toThrow(/both use the command "Calculate"/)
  })

  it('defines plain definitions and validates them', async () => {
    const registry = createPluginRegistry([{ name: 'echo', command: 'Echo', description: '', run: (input: string) => input }])
    await expect(registry.byCommand('Echo')?.run('hi')).resolves.toEqual({ text: 'hi' })
    expect(() => createPluginRegistry([{ name: 'bad', command: 'Not a word', description: '', run: () => '' }])).toThrow(
      PluginRegistrationError,
    )
    expect(() => createPluginRegistry([null as never])).toThrow(PluginRegistrationError)
  })
})
