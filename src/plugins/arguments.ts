/**
 * Plugin arguments: a plugin's `parameters` (JSON Schema) compiled once with Ajv, and the conversion of what a
 * format parsed (a MOSS string, a native arguments object, a JSON object's text) into what `run` receives.
 * Ajv is kept rather than a hand-written checker: MCP servers and BFCL send full JSON Schema (enums, nested objects,
 * `anyOf`, formats of numbers), and its error texts are what the model reads to correct a call.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { PluginRegistrationError, describeError } from '../errors.js'
import type { JsonSchema, PreparedInput } from './types.js'

/**
 * One validator for every plugin: `strict: false` because MCP and BFCL schemas carry keywords Ajv does not know
 * (`title`, `examples`, vendor extensions); formats are not asserted (no ajv-formats), as in most tool runtimes.
 */
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })

/** The parameters of a plugin, compiled. */
export interface CompiledParameters {
  /** The single string property `run` receives, or `undefined` for a structured plugin. */
  readonly stringArgument: string | undefined
  /** Converts and validates call arguments; never throws. */
  prepare(args: unknown): PreparedInput
}

/** The single string property of an object schema with exactly one property, of type `string`. */
function singleStringProperty(schema: JsonSchema): string | undefined {
  const keys = Object.keys(schema.properties ?? {})
  if (keys.length !== 1) return undefined
  const only = schema.properties?.[keys[0] as string]
  return only?.type === 'string' ? keys[0] : undefined
}

function parseObjectText(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * Compiles `parameters` for plugin `name`. A schema Ajv cannot compile throws {@link PluginRegistrationError}.
 * `$schema` is dropped before compiling: MCP servers announce drafts (2020-12) that need another Ajv class, while the
 * keywords tool schemas use are the same in every draft.
 */
export function compileParameters(name: string, parameters: JsonSchema): CompiledParameters {
  if (parameters.type !== undefined && parameters.type !== 'object') {
    throw new PluginRegistrationError(`Plugin "${name}": parameters must be an object schema (got type ${JSON.stringify(parameters.type)})`)
  }
  const { $schema: _ignored, ...schema } = parameters
  let validate: ValidateFunction
  try {
    validate = ajv.compile(schema)
  } catch (error) {
    throw new PluginRegistrationError(`Plugin "${name}": invalid parameters schema: ${describeError(error)}`, { cause: error })
  }
  const stringArgument = singleStringProperty(parameters)
  const check = (value: Record<string, unknown>): string | undefined =>
    validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'arguments' })

  return {
    stringArgument,
    prepare(args: unknown): PreparedInput {
      if (stringArgument !== undefined) {
        const value = typeof args === 'string' ? { [stringArgument]: args } : args
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          return { ok: false, reason: `expected an object with the string "${stringArgument}", got ${JSON.stringify(value ?? null)}` }
        }
        const reason = check(value as Record<string, unknown>)
        if (reason !== undefined) return { ok: false, reason }
        return { ok: true, input: (value as Record<string, unknown>)[stringArgument] as string }
      }
      const value = typeof args === 'string' ? parseObjectText(args.trim() === '' ? '{}' : args) : args
      if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { ok: false, reason: 'expected the arguments as one JSON object' }
      }
      const reason = check(value as Record<string, unknown>)
      return reason === undefined ? { ok: true, input: value as Record<string, unknown> } : { ok: false, reason }
    },
  }
}
