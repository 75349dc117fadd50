/**
 * Figures of a run, per category and overall: accuracy, the share of turns whose calls were all valid (parsed and
 * accepted by the plugin's schema), the share of turns that called anything, tokens generated per second and time
 * per case.
 */
import type { CaseResult } from './types.js'

/** The figures of one category (or `all`). */
export interface CategoryFigures {
  readonly category: string
  readonly cases: number
  readonly correct: number
  /** correct / cases, in [0, 1]. */
  readonly accuracy: number
  /** Turns whose calls were all valid / turns with calls, in [0, 1]; `null` when no turn called. */
  readonly validCallRate: number | null
  /** Turns with at least one call / cases. */
  readonly callRate: number
  /** Tokens generated per second of case time. */
  readonly tokensPerSecond: number
  /** Mean milliseconds per case. */
  readonly msPerCase: number
}

/** The figures of one run (one model, format, grammar setting and suite). */
export interface RunSummary {
  readonly run: string
  readonly categories: readonly CategoryFigures[]
  readonly overall: CategoryFigures
}

function figures(category: string, results: readonly CaseResult[]): CategoryFigures {
  const n = results.length
  const called = results.filter((r) => r.called)
  const ms = results.reduce((sum, r) => sum + r.ms, 0)
  const tokens = results.reduce((sum, r) => sum + r.generated, 0)
  return {
    category,
    cases: n,
    correct: results.filter((r) => r.correct).length,
    accuracy: n === 0 ? 0 : results.filter((r) => r.correct).length / n,
    validCallRate: called.length === 0 ? null : called.filter((r) => r.validCalls).length / called.length,
    callRate: n === 0 ? 0 : called.length / n,
    tokensPerSecond: ms === 0 ? 0 : tokens / (ms / 1000),
    msPerCase: n === 0 ? 0 : ms / n,
  }
}

/** Summarises the results of `run`, categories in `order` (others after, in order of appearance). */
export function summarize(run: string, results: readonly CaseResult[], order: readonly string[] = []): RunSummary {
  const mine = results.filter((r) => r.run === run)
  const seen = [...new Set([...order, ...mine.map((r) => r.category)])].filter((c) => mine.some((r) => r.category === c))
  return { run, categories: seen.map((c) => figures(c, mine.filter((r) => r.category === c))), overall: figures('all', mine) }
}
