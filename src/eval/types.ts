/**
 * The shapes of an evaluation: a case (question, the plugins offered, how to score what the model did), the outcome
 * of running it through the agent, and the result line written for it (one JSON line per case, so runs resume).
 */
import type { Plugin } from '../plugins/types.js'

/** A call the model made, as the agent parsed it. */
export interface ObservedCall {
  /** The plugin's command (BFCL: the function's own name, dots and dashes included). */
  readonly name: string
  /** The arguments: parsed JSON arguments, or `{ [argument]: input }` for a single-string call. */
  readonly arguments: Readonly<Record<string, unknown>>
  /** The arguments as displayed (a string plugin's string, else JSON). */
  readonly input: string
}

/** What one case's turn did. */
export interface CaseOutcome {
  /** Every call of the turn, in order (evaluation turns allow one round of calls). */
  readonly calls: readonly ObservedCall[]
  /** Results in order; `ok: false` for calls refused (unknown tool, arguments against the schema) or failed. */
  readonly results: readonly { readonly name: string; readonly output: string; readonly ok: boolean }[]
  /** The final answer (empty when the case stops after its calls). */
  readonly answer: string
  /** The commands text as the model wrote it (MOSS), when the format keeps one. */
  readonly raw?: string
  /** An error that ended the turn (budget, timeout, backend), if any. */
  readonly error?: string
}

/** A case's verdict. */
export interface CaseScore {
  readonly correct: boolean
  /** Why it is wrong (the checker's message). */
  readonly detail?: string
}

/** One evaluation case. */
export interface EvalCase {
  /** Stable id within the suite (`simple_python_12`, `calc-en-001`). */
  readonly id: string
  /** Category it is reported under. */
  readonly category: string
  /** The user's message. */
  readonly question: string
  /** Plugins offered for this case (created per case or shared; the runner never disposes them). */
  readonly plugins: () => readonly Plugin[]
  /** Commands switched on; the others are listed as disabled. Defaults to all. */
  readonly enabled?: readonly string[]
  /**
   * Stop the turn once its calls have their results (the answer is not scored): saves generating an answer nobody
   * reads. A turn without calls always runs to its end.
   */
  readonly stopAfterCalls: boolean
  /** What was expected, shown in failure lists. */
  readonly expected: unknown
  /** Scores the outcome. */
  score(outcome: CaseOutcome): CaseScore
}

/** A loaded suite. */
export interface EvalSuite {
  /** `bfcl:DIR`, `builtin`, `moss-sft:DIR`. */
  readonly name: string
  /** Categories in report order. */
  readonly categories: readonly string[]
  readonly cases: readonly EvalCase[]
}

/** The result line of one case (JSON-serialisable; appended to the `--resume` file). */
export interface CaseResult {
  /** Which run it belongs to: `model | format | grammar on/off | suite`. */
  readonly run: string
  readonly id: string
  readonly category: string
  readonly correct: boolean
  /** Whether every call parsed and passed its plugin's schema (`true` for a turn without calls). */
  readonly validCalls: boolean
  /** Whether the turn made at least one call. */
  readonly called: boolean
  readonly detail?: string
  readonly question: string
  readonly expected: unknown
  readonly calls: readonly ObservedCall[]
  readonly answer: string
  readonly error?: string
  /** Tokens the model generated in the turn. */
  readonly generated: number
  /** Wall-clock time of the case in milliseconds. */
  readonly ms: number
}
