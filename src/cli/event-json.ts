/** JSON form of agent events (`moss run --json`): errors become `{ name, code, message, detail? }`. */
import type { AgentEvent } from '../index.js'
import { messageWithCauses } from './error-line.js'

/** One event as a single JSON line (no trailing newline). */
export function eventToJson(event: AgentEvent): string {
  if (event.type === 'error' || event.type === 'tool-error') {
    const { error, ...rest } = event
    // `detail`: the message with its causes (why a plugin failed, beyond the text the model was shown).
    const detail = messageWithCauses(error)
    const shown = { name: error.name, code: error.code, message: error.message, ...(detail !== error.message ? { detail } : {}) }
    return JSON.stringify({ ...rest, error: shown })
  }
  return JSON.stringify(event)
}
