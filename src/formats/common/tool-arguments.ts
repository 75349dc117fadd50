/**
 * Maps the structured arguments of JSON-style tool calls to the plugin contract's single string input.
 */
import type { Plugin } from '../../plugins/types.js'

/** The plugin's string input from an arguments object: its named argument, else the only value, else the JSON. */
export function argumentsToInput(plugin: Plugin | undefined, args: unknown): string {
  if (typeof args === 'string') return args
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return JSON.stringify(args ?? '')
  const record = args as Record<string, unknown>
  const named = plugin ? record[plugin.argument] : undefined
  const value = named !== undefined ? named : Object.keys(record).length === 1 ? Object.values(record)[0] : undefined
  if (value === undefined) return JSON.stringify(record)
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** The tool description of a plugin in the OpenAI/Hermes shape (`parameters` as the plugin declares them). */
export function toolFunction(plugin: Plugin): { name: string; description: string; parameters: unknown } {
  return { name: plugin.command, description: plugin.description, parameters: plugin.parameters }
}
