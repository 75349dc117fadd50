/**
 * The tool-round budget of one turn in the native formats: the model may call again after seeing results, up to
 * `maxRounds` call rounds; a call identical to one already answered in the turn (same tool, same arguments) is
 * refused with an error result instead of being run again (a model stuck in a loop); after the last round the model
 * is offered no tools, so it must answer.
 */
import type { ToolCall, ToolResult } from '../types.js'
import { COMMAND_ERRORS } from './command-errors.js'

/** Default call rounds per turn in the native formats. */
export const DEFAULT_MAX_TOOL_ROUNDS = 5

/** JSON with sorted keys, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same call. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** One turn's rounds. */
export interface RoundTracker {
  /** Call rounds run so far. */
  readonly rounds: number
  /** Whether the next generation is the last (offered without tools). */
  readonly toolsOver: boolean
  /** Splits a round's calls into new ones and repeats (refused), and counts the round. */
  takeRound(calls: readonly ToolCall[]): { calls: ToolCall[]; rejected: ToolResult[] }
}

/** Starts the rounds of a turn. */
export function createRoundTracker(maxRounds = DEFAULT_MAX_TOOL_ROUNDS): RoundTracker {
  const seen = new Set<string>()
  let rounds = 0
  return {
    get rounds() {
      return rounds
    },
    get toolsOver() {
      return rounds >= maxRounds
    },
    takeRound(calls) {
      rounds++
      const fresh: ToolCall[] = []
      const rejected: ToolResult[] = []
      for (const call of calls) {
        const key = `${call.command}\u0000${stableJson(call.arguments ?? call.input)}`
        if (seen.has(key)) rejected.push({ call, ok: false, text: COMMAND_ERRORS.repeated() })
        else {
          seen.add(key)
          fresh.push(call)
        }
      }
      return { calls: fresh, rejected }
    },
  }
}
