/**
 * The built-in tools the builtin and MOSS SFT suites offer: the real calculator and equation solver (their results
 * are what a user gets, and the Calculate/Solve scores read them), and stand-ins for search and text-to-image that
 * return a neutral result (those cases are scored on the call's text; no service is reached).
 */
import { calculator, equationSolver } from '../../plugins/index.js'
import { definePlugin } from '../plugins/define-plugin.js'
import type { Plugin } from '../plugins/types.js'

/** The four tools, and `dispose` for the calculator's and solver's resources. */
export function createEvalTools(): { readonly plugins: readonly Plugin[]; dispose(): Promise<void> } {
  const calc = calculator()
  const solver = equationSolver()
  const plugins: Plugin[] = [
    definePlugin({
      name: 'search',
      command: 'Search',
      label: 'Web search',
      description: 'Web search (evaluation stand-in: returns no facts)',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
      run: (query) => `No results for ${query} (evaluation stand-in).`,
    }),
    calc,
    solver,
    definePlugin({
      name: 'text-to-image',
      command: 'Text2Image',
      label: 'Text-to-image',
      description: 'Text to image (evaluation stand-in: draws nothing)',
      parameters: { type: 'object', properties: { description: { type: 'string' } }, required: ['description'] },
      run: () => 'Image generated successfully (evaluation stand-in).',
    }),
  ]
  return {
    plugins,
    async dispose() {
      await calc.dispose?.()
      await solver.dispose?.()
    },
  }
}
