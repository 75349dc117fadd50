/** Shared plugins and agent setup for the agent tests that use the tiny format. */
import { createAgent } from '../../../src/agent/create-agent.js'
import type { AgentOptions } from '../../../src/agent/types.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { PluginLogger } from '../../../src/plugins/types.js'
import { ScriptedBackend } from '../../../src/testing/index.js'
import type { ScriptedBackendOptions, ScriptedOutput } from '../../../src/testing/index.js'
import { createTinyFormat } from './tiny-format.js'

/** A calculator good enough for `23*47`. */
export const calc = definePlugin({
  name: 'calc',
  command: 'Calc',
  description: 'multiplies',
  run: (input) => {
    const [a, b] = input.split('*').map(Number)
    return String((a ?? NaN) * (b ?? NaN))
  },
})

/** Returns its input. */
export const echo = definePlugin({ name: 'echo', command: 'Echo', description: 'echoes', run: (input) => input })

/** A logger that records warnings and errors. */
export function recordingLogger(): PluginLogger & { entries: { level: string; message: string }[] } {
  const entries: { level: string; message: string }[] = []
  const push = (level: string) => (message: string) => void entries.push({ level, message })
  return { entries, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') }
}

/** A tiny-format agent over a scripted backend. */
export function tinyAgent(outputs: ScriptedOutput[], options: Partial<AgentOptions> = {}, backendOptions: ScriptedBackendOptions = {}) {
  const backend = new ScriptedBackend(outputs, { chunkSize: 3, ...backendOptions })
  const agent = createAgent({ backend, format: createTinyFormat(), plugins: [calc, echo], ...options })
  return { backend, agent }
}
