import { AbortedError, IsolationError, MossError, PluginError, createIsolationPool, definePlugin, resolveWorkerModule } from '../../src/index.js'
import type { IsolationPool, Plugin } from '../../src/index.js'
import { normalizeMathInput } from '../shared/normalize-math.js'
import { formatCalculatorValue } from './format-value.js'
import type { CalculatorValue } from './format-value.js'

/** The text MOSS's results block shows when a calculation fails. */
export const NO_CALCULATION_RESULTS = 'No calculation results.'

/** Options of {@link calculator}. */
export interface CalculatorOptions {
  /** Kill timer of one evaluation in the child process, in milliseconds. Defaults to `5000`. */
  readonly timeoutMs?: number
  /** Longest accepted expression, in characters (checked before normalisation). Defaults to `1000`. */
  readonly maxInputChars?: number
  /** Heap cap of the child process, in MB. Defaults to `128`. */
  readonly maxOldSpaceMb?: number
  /** Number of warm child processes. Defaults to `1`. */
  readonly poolSize?: number
  /** Whether the plugin is enabled. Defaults to `true`. */
  readonly enabled?: boolean
}

/**
 * The MOSS calculator (`Calculate(expression)`): mathjs 15 with `import`, `evaluate`, `parse` and the other
 * parser-reaching functions disabled, run in a warm child process behind a heap cap and a kill timer. Full-width and
 * Chinese input is normalised first (`３×４÷２`, `（1+2）×3`, `3 乘以 4`). Units (`90 km/h to m/s`), fractions,
 * complex numbers, matrices and exact big integers work.
 *
 * Results follow MOSS's training data, i.e. Python's `repr`: `12*3` → `36`, `60/6` → `10.0`, `pi*3^2*20` →
 * `565.4866776461628`. On failure (syntax error, unknown symbol, a non-numeric value, timeout, heap limit, oversized
 * input) `run` throws a {@link PluginError} whose message is exactly {@link NO_CALCULATION_RESULTS} — the text the
 * model sees — and whose `cause` says why. Aborting (`ctx.signal`) rejects with `AbortedError` and kills the child.
 * `dispose()` kills the child process.
 */
export function calculator(options: CalculatorOptions = {}): Plugin {
  const name = 'calculator'
  const maxInputChars = options.maxInputChars ?? 1000
  let pool: IsolationPool | undefined
  const getPool = (): IsolationPool =>
    (pool ??= createIsolationPool({
      module: resolveWorkerModule('worker.mjs', import.meta.url),
      name,
      size: options.poolSize ?? 1,
      maxOldSpaceMb: options.maxOldSpaceMb ?? 128,
      timeoutMs: options.timeoutMs ?? 5000,
      maxInputChars,
    }))

  return definePlugin({
    name,
    command: 'Calculate',
    description: 'Evaluates an arithmetic expression (units, fractions and functions such as sqrt, sin, log allowed).',
    parameters: {
      type: 'object',
      properties: { expression: { type: 'string', description: 'The expression, e.g. "pi*3^2*20" or "90 km/h to m/s".' } },
      required: ['expression'],
    },
    label: 'Calculator',
    enabled: options.enabled ?? true,
    async run(input, ctx) {
      if (input.length > maxInputChars) {
        throw failure(new PluginError(name, `expression of ${input.length} characters exceeds the limit of ${maxInputChars}`))
      }
      const expression = normalizeMathInput(input, 'expression')
      try {
        const value = await getPool().run<CalculatorValue>('evaluate', expression, { signal: ctx.signal })
        return formatCalculatorValue(value)
      } catch (error) {
        if (error instanceof AbortedError) throw error
        throw failure(error)
      }
    },
    async dispose() {
      await pool?.dispose()
      pool = undefined
    },
  })

  function failure(cause: unknown): PluginError {
    const timeout = cause instanceof IsolationError && cause.reason === 'timeout'
    return new PluginError(name, NO_CALCULATION_RESULTS, {
      cause: MossError.isInstance(cause) ? cause : new PluginError(name, String(cause)),
      ...(timeout ? { code: 'MOSS_ERR_PLUGIN_TIMEOUT' as const } : {}),
    })
  }
}
