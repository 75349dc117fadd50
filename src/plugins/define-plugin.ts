import { InvalidInputError, PluginRegistrationError } from '../errors.js'
import { compileParameters } from './arguments.js'
import type { JsonSchema, Plugin, PluginContext, PluginDefinition, PluginInput, PluginLogger, PluginOutput } from './types.js'

/** Tool names every peer accepts (OpenAI, MCP, BFCL): `get-sum`, `math.factorial`, `Calculate`. */
export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/

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
 * Defines a plugin. Validates the definition eagerly (a bad name or command, or a parameters schema Ajv cannot
 * compile, throws {@link PluginRegistrationError}) and returns a plugin whose `run` may be called without a context:
 * `await calculator().run('23*47')`, `await getSum.run({ a: 1, b: 2 })`. Arguments are validated against
 * `parameters` before the definition's `run` sees them.
 */
export function definePlugin<TInput extends PluginInput = string>(definition: PluginDefinition<TInput>): Plugin {
  if (typeof definition.name !== 'string' || !TOOL_NAME.test(definition.name)) {
    throw new PluginRegistrationError(`Plugin name ${JSON.stringify(definition.name)} must be 1-64 characters of letters, digits, _, . and -`)
  }
  const command = definition.command ?? definition.name
  if (typeof command !== 'string' || !TOOL_NAME.test(command)) {
    throw new PluginRegistrationError(
      `Plugin "${definition.name}": command ${JSON.stringify(command)} must be 1-64 characters of letters, digits, _, . and -`,
    )
  }
  if (typeof definition.run !== 'function') {
    throw new PluginRegistrationError(`Plugin "${definition.name}" has no run function`)
  }
  const parameters = definition.parameters ?? defaultParameters
  const compiled = compileParameters(definition.name, parameters)
  const argument = compiled.stringArgument ?? 'input'
  const config = definition.config ?? {}
  const run = definition.run.bind(definition) as (input: PluginInput, ctx: PluginContext) => ReturnType<PluginDefinition['run']>
  return {
    name: definition.name,
    command,
    description: definition.description,
    parameters,
    argument,
    takesString: compiled.stringArgument !== undefined,
    prepare: compiled.prepare,
    label: definition.label ?? definition.name,
    // An unavailable plugin cannot be switched on later either (setPluginEnabled refuses it): it never starts on.
    enabled: definition.unavailable === undefined && (definition.enabled ?? true),
    config,
    ...(definition.unavailable !== undefined ? { unavailable: definition.unavailable } : {}),
    ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
    ...(definition.dispose ? { dispose: definition.dispose.bind(definition) } : {}),
    async run(args: unknown, ctx?: Partial<PluginContext>): Promise<PluginOutput> {
      const prepared = compiled.prepare(args)
      if (!prepared.ok) throw new InvalidInputError(`Invalid arguments for "${command}": ${prepared.reason}`)
      const full: PluginContext = {
        signal: ctx?.signal ?? new AbortController().signal,
        log: ctx?.log ?? silentLogger,
        config: ctx?.config ?? config,
        progress: ctx?.progress ?? (() => undefined),
      }
      const result = await run(prepared.input, full)
      return typeof result === 'string' ? { text: result } : result
    },
  }
}
