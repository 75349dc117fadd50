import { PluginRegistrationError } from '../errors.js'
import type { JsonSchema, Plugin, PluginContext, PluginDefinition, PluginLogger, PluginOutput } from './types.js'

const COMMAND = /^[A-Za-z_][A-Za-z0-9_]*$/

const defaultParameters: JsonSchema = {
  type: 'object',
  properties: { input: { type: 'string' } },
  required: ['input'],
}

/** A logger that drops everything: plugins called directly from a script get it. */
export const silentLogger: PluginLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
}

/**
 * Defines a plugin. Validates the definition eagerly (a bad command name throws {@link PluginRegistrationError}) and
 * returns a plugin whose `run` may be called without a context: `await calculator().run('23*47')`.
 */
export function definePlugin(definition: PluginDefinition): Plugin {
  if (!definition.name || typeof definition.name !== 'string') {
    throw new PluginRegistrationError('A plugin needs a non-empty name')
  }
  if (!COMMAND.test(definition.command)) {
    throw new PluginRegistrationError(
      `Plugin "${definition.name}": command "${definition.command}" must be a word of letters, digits and _`,
    )
  }
  if (typeof definition.run !== 'function') {
    throw new PluginRegistrationError(`Plugin "${definition.name}" has no run function`)
  }
  const parameters = definition.parameters ?? defaultParameters
  const argument = Object.keys(parameters.properties ?? {})[0] ?? 'input'
  const config = definition.config ?? {}
  const run = definition.run.bind(definition)
  return {
    name: definition.name,
    command: definition.command,
    description: definition.description,
    parameters,
    argument,
    label: definition.label ?? definition.name,
    enabled: definition.enabled ?? true,
    config,
    ...(definition.unavailable !== undefined ? { unavailable: definition.unavailable } : {}),
    ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
    ...(definition.dispose ? { dispose: definition.dispose.bind(definition) } : {}),
    async run(input: string, ctx?: Partial<PluginContext>): Promise<PluginOutput> {
      const full: PluginContext = {
        signal: ctx?.signal ?? new AbortController().signal,
        log: ctx?.log ?? silentLogger,
        config: ctx?.config ?? config,
      }
      const result = await run(input, full)
      return typeof result === 'string' ? { text: result } : result
    },
  }
}
