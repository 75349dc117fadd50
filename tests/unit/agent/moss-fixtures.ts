/** Shared setup of the agent tests that run the real MOSS format. */
import { createAgent } from '../../../src/agent/create-agent.js'
import type { AgentOptions } from '../../../src/agent/types.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { Plugin } from '../../../src/plugins/types.js'
import { ScriptedBackend } from '../../../src/testing/index.js'
import type { ScriptedBackendOptions, ScriptedOutput } from '../../../src/testing/index.js'

/** A tiny calculator: products and sums of two integers, enough for `23*47`. */
export const calculator = definePlugin({
  name: 'calculator',
  command: 'Calculate',
  description: 'Evaluates an arithmetic expression',
  parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  label: 'Calculator',
  run: (input) => {
    const match = /^\s*(-?\d+)\s*([*+])\s*(-?\d+)\s*$/.exec(input)
    if (!match) throw new Error(`cannot evaluate ${input}`)
    const [a, b] = [Number(match[1]), Number(match[3])]
    return String(match[2] === '*' ? a * b : a + b)
  },
})

/** A calculator that returns a fixed text, whatever it is asked (for injection tests). */
export function calculatorReturning(text: string): Plugin {
  return definePlugin({ name: 'calculator', command: 'Calculate', description: 'returns a fixed text', label: 'Calculator', run: () => text })
}

/** First MOSS generation: thought and commands, closed by `<eoc>`. */
export const firstGeneration = (thought: string, commands: string): string => ` ${thought}<eot>\n<|Commands|>: ${commands}<eoc>`
/** Answer generation, closed by `<eom>`. */
export const answerGeneration = (answer: string): string => ` ${answer}<eom>`

/** A MOSS agent over a scripted backend. */
export function mossAgent(outputs: ScriptedOutput[], options: Partial<AgentOptions> = {}, backendOptions: ScriptedBackendOptions = {}) {
  const backend = new ScriptedBackend(outputs, { chunkSize: 'random', seed: 3, ...backendOptions })
  // No `format`: MOSS is the default.
  const agent = createAgent({ backend, plugins: [calculator], ...options })
  return { backend, agent }
}
