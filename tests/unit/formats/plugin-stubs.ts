import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { Plugin } from '../../../src/plugins/types.js'

/** A stub plugin for format tests (never run). */
export function stub(command: string, argument = 'input', extra: { enabled?: boolean; label?: string } = {}): Plugin {
  return definePlugin({
    name: command.toLowerCase(),
    command,
    description: `${command} stub`,
    parameters: { type: 'object', properties: { [argument]: { type: 'string' } }, required: [argument] },
    ...(extra.enabled !== undefined ? { enabled: extra.enabled } : {}),
    ...(extra.label !== undefined ? { label: extra.label } : {}),
    run: () => '',
  })
}

export const search = stub('Search', 'query')
export const calculator = stub('Calculate', 'expression')
export const solver = stub('Solve', 'equation')
export const image = stub('Text2Image', 'description')
export const weather = stub('Weather', 'city', { label: 'Weather' })
export const allBuiltins = [search, calculator, solver, image]
