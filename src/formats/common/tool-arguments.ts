/**
 * Maps the arguments of JSON-style tool calls onto a `ToolCall`: the parsed object travels as `arguments` (the
 * plugin validates it against its schema before `run`), `input` is what events and logs display.
 */
import type { Plugin } from '../../plugins/types.js'

/** A plain JSON object, or `undefined`. */
export function asArgumentsObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** The display text of call arguments: a single-string plugin's string value, else the JSON of the arguments. */
export function argumentsToInput(plugin: Plugin | undefined, args: unknown): string {
  if (typeof args === 'string') return args
  const record = asArgumentsObject(args)
  if (record && plugin?.takesString) {
    const value = record[plugin.argument]
    if (typeof value === 'string') return value
  }
  return JSON.stringify(args ?? {})
}

/**
 * The `arguments` and `input` of a call written with `args` (an object, or a string a format could not read as
 * one: then it is the whole argument).
 */
export function callArguments(plugin: Plugin | undefined, args: unknown): { input: string; arguments?: Readonly<Record<string, unknown>> } {
  const record = asArgumentsObject(args)
  const input = argumentsToInput(plugin, args)
  return record ? { input, arguments: record } : { input }
}

/** The tool description of a plugin in the OpenAI/Hermes shape (`parameters` as the plugin declares them). */
export function toolFunction(plugin: Plugin): { name: string; description: string; parameters: unknown } {
  return { name: plugin.command, description: plugin.description, parameters: plugin.parameters }
}
