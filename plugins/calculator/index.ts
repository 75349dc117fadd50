import type { Plugin } from '../../src/plugin-kit.js'
import { defineIsolatedPlugin } from '../shared/isolated-plugin.js'
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
 * input) `run` throws a `PluginError` whose message is exactly {@link NO_CALCULATION_RESULTS} — the text the
 * model sees — and whose `cause` says why. Aborting (`ctx.signal`) rejects with `AbortedError` and kills the child.
 * `dispose()` kills the child process.
 */
export function calculator(options: CalculatorOptions = {}): Plugin {
  return defineIsolatedPlugin<CalculatorValue>({
    definition: {
      name: 'calculator',
      command: 'Calculate',
      description: 'Evaluates an arithmetic expression (units, fractions and functions such as sqrt, sin, log allowed).',
      parameters: {
        type: 'object',
        properties: { expression: { type: 'string', description: 'The expression, e.g. "pi*3^2*20" or "90 km/h to m/s".' } },
        required: ['expression'],
      },
      label: 'Calculator',
      enabled: options.enabled ?? true,
    },
    moduleUrl: import.meta.url,
    handler: 'evaluate',
    limits: {
      timeoutMs: options.timeoutMs ?? 5000,
      maxInputChars: options.maxInputChars ?? 1000,
      maxOldSpaceMb: options.maxOldSpaceMb ?? 128,
      poolSize: options.poolSize ?? 1,
    },
    failureText: NO_CALCULATION_RESULTS,
    inputNoun: 'expression',
    prepare: (input) => normalizeMathInput(input, 'expression'),
    format: formatCalculatorValue,
  })
}
