/** JSON form of agent events (`moss run --json`): errors become `{ name, code, message }`. */
import type { AgentEvent } from '../index.js'

/** One event as a single JSON line (no trailing newline). */
export function eventToJson(event: AgentEvent): string {
  if (event.type === 'error' || event.type === 'tool-error') {
    const { error, ...rest } = event
    return JSON.stringify({ ...rest, error: { name: error.name, code: error.code, message: error.message } })
  }
  return JSON.stringify(event)
}
