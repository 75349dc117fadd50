/**
 * The bookkeeping a JSON-style format (ChatML/Hermes, ChatGLM3) keeps during one turn: call ids, the call texts,
 * the exact transcript of every call round, the results and the answer, folded into the turn's record at the end.
 * Only the marker text differs between those formats, so the state lives here once.
 */
import type { ToolResult, TurnRecord } from '../types.js'

/** One turn's state; see {@link createTurnLog}. */
export interface TurnLog {
  /** Session-unique call ids: `call_<turn>_<n>`, `n` counting from 1 within the turn. */
  readonly nextId: () => string
  /** The ids the next `count` calls of {@link TurnLog.nextId} will return (grammars that write ids ahead). */
  readonly upcomingIds: (count: number) => string[]
  /** Call texts of the turn, joined with `\n` into the record's `commands` (absent when empty). */
  readonly commands: string[]
  /** Exact transcript text of each call round, joined into the record's `resultsText` (absent when empty). */
  readonly rounds: string[]
  /** The final answer; `''` until the turn is done. */
  answer: string
  /** Keeps the rejected calls of the last generation until the next {@link TurnLog.collectResults}. */
  holdRejected(rejected: readonly ToolResult[]): void
  /**
   * The given results followed by the held rejected ones the caller did not already report (by call id); they are
   * added to the record and the hold is cleared.
   */
  collectResults(given: readonly ToolResult[]): ToolResult[]
  /** The turn's record for history. */
  record(): TurnRecord
}

/** Starts the log of a turn; `previous` is the number of turns before it (the first turn's ids are `call_1_…`). */
export function createTurnLog(human: string, previous: number): TurnLog {
  let n = 0
  let pendingRejected: readonly ToolResult[] = []
  const results: ToolResult[] = []
  const log: TurnLog = {
    nextId: () => `call_${previous + 1}_${++n}`,
    upcomingIds: (count) => Array.from({ length: count }, (_, i) => `call_${previous + 1}_${n + i + 1}`),
    commands: [],
    rounds: [],
    answer: '',
    holdRejected(rejected) {
      pendingRejected = rejected
    },
    collectResults(given) {
      const ids = new Set(given.map((r) => r.call.id))
      const all = [...given, ...pendingRejected.filter((r) => !ids.has(r.call.id))]
      pendingRejected = []
      results.push(...all)
      return all
    },
    record() {
      return {
        human,
        ...(log.commands.length > 0 ? { commands: log.commands.join('\n') } : {}),
        results,
        ...(log.rounds.length > 0 ? { resultsText: log.rounds.join('') } : {}),
        answer: log.answer,
      }
    },
  }
  return log
}
