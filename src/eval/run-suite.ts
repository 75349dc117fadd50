/**
 * Runs a suite's cases with up to `concurrency` sessions at once (the backend's `maxSessions` is the useful
 * ceiling), skipping cases already in the result file of a resumed run, and hands each result over as it is made
 * (the CLI appends it as one JSON line and advances its progress bar).
 */
import { runCase, type RunCaseOptions } from './run-case.js'
import type { CaseResult, EvalCase, EvalSuite } from './types.js'

/** Options of {@link runSuite}. */
export interface RunSuiteOptions extends RunCaseOptions {
  /** The run's label written in every result (`model | format | grammar on | suite`). */
  readonly run: string
  /** Cases at once. Defaults to `1`. */
  readonly concurrency?: number
  /** Ids of cases already done (resumed run): skipped. Defaults to none. */
  readonly skip?: ReadonlySet<string>
  /** Called with every new result, in completion order. */
  readonly onResult?: (result: CaseResult) => void | Promise<void>
}

/** Runs one case and turns it into its result line. */
export async function evaluateCase(c: EvalCase, options: RunSuiteOptions): Promise<CaseResult> {
  const { outcome, validCalls, generated, ms } = await runCase(c, options)
  const score = c.score(outcome)
  return {
    run: options.run,
    id: c.id,
    category: c.category,
    correct: score.correct,
    validCalls,
    called: outcome.calls.length > 0,
    ...(score.detail !== undefined ? { detail: score.detail } : {}),
    question: c.question,
    expected: c.expected,
    calls: outcome.calls,
    answer: outcome.answer.slice(0, 400),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    generated,
    ms: Math.round(ms),
  }
}

/**
 * Runs every case of `suite` not in `skip`; resolves to the new results in suite order. The first case that throws
 * (the model server failed, see `runCase`) stops the run: no new case starts, the cases already running finish and
 * are handed over, then that error is thrown. A resumed run later picks up from the results handed over.
 */
export async function runSuite(suite: EvalSuite, options: RunSuiteOptions): Promise<CaseResult[]> {
  const todo = suite.cases.filter((c) => !(options.skip?.has(c.id) ?? false))
  const results: (CaseResult | undefined)[] = new Array(todo.length)
  let next = 0
  let failure: { readonly error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < todo.length) {
      const index = next++
      try {
        const result = await evaluateCase(todo[index] as EvalCase, options)
        results[index] = result
        await options.onResult?.(result)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, todo.length))
  await Promise.all(Array.from({ length: workers }, worker))
  if (failure !== undefined) throw failure.error
  return results.filter((r): r is CaseResult => r !== undefined)
}
