/**
 * Validation of calls shared by the JSON-argument formats: unknown and disabled tools become rejected results.
 */
import type { FormatPlugins, ToolCall, ToolResult } from '../types.js'
import { COMMAND_ERRORS } from './command-errors.js'
import { callArguments } from './tool-arguments.js'

/** A call as a JSON-style format wrote it. */
export interface RawToolCall {
  readonly name: string
  readonly arguments: unknown
}

/** Splits raw calls into runnable calls and rejected results. `nextId` makes session-unique ids. */
export function validateCalls(raw: readonly RawToolCall[], plugins: FormatPlugins, nextId: () => string): { calls: ToolCall[]; rejected: ToolResult[] } {
  const available = plugins.filter((p) => p.enabled).map((p) => p.command)
  const calls: ToolCall[] = []
  const rejected: ToolResult[] = []
  for (const item of raw) {
    const plugin = plugins.find((p) => p.command === item.name) ?? plugins.find((p) => p.name === item.name)
    const call: ToolCall = { id: nextId(), command: plugin?.command ?? item.name, ...callArguments(plugin, item.arguments) }
    if (!plugin) rejected.push({ call, ok: false, text: COMMAND_ERRORS.unknown(item.name, available) })
    else if (!plugin.enabled) rejected.push({ call, ok: false, text: COMMAND_ERRORS.disabled(plugin.command) })
    else calls.push(call)
  }
  return { calls, rejected }
}

/** The text a JSON-style format shows the model for a result: `text`, or the JSON of `data` when `text` is empty. */
export function resultText(result: ToolResult): string {
  if (!result.ok) return `Error: ${result.text}`
  return result.text === '' && result.data !== undefined ? JSON.stringify(result.data) : result.text
}
