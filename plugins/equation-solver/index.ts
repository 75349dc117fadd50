import type { Plugin } from '../../src/plugin-kit.js'
import { defineIsolatedPlugin } from '../shared/isolated-plugin.js'
import { normalizeMathInput } from '../shared/normalize-math.js'

/** The text MOSS's results block shows when solving fails. */
export const NO_RESULT = 'No result.'

/** Options of {@link equationSolver}. */
export interface EquationSolverOptions {
  /** Kill timer of one solve in the child process, in milliseconds. Defaults to `8000`. */
  readonly timeoutMs?: number
  /** Longest accepted input, in characters. Defaults to `1000`. */
  readonly maxInputChars?: number
  /** Heap cap of the child process, in MB. Defaults to `192`. */
  readonly maxOldSpaceMb?: number
  /** Number of warm child processes. Defaults to `1`. */
  readonly poolSize?: number
  /** Whether the plugin is enabled. Defaults to `true`. */
  readonly enabled?: boolean
}

/**
 * The MOSS equation solver (`Solve(equation)`): nerdamer-prime in a warm, killable child process. Takes one equation
 * or a system separated by `;` or `,` (`x+y=500;5x+8y=4000`); unknowns are detected. Every root is substituted back
 * before it is reported; a numeric search (sampling and bisection on [-100, 100]) adds real roots of transcendental
 * equations (`sin(x)=x/2`). Output follows MOSS's training data: one `name = value` line per unknown (`x = 160/3`),
 * `x_0 = …`, `x_1 = …` for several solutions, complex roots with `i`, and 15-digit decimals (`550.000000000000`)
 * when the input has decimals or number/number divisions.
 *
 * It refuses rather than guess: inequalities, identities (`x=x`), contradictions (`x+1=x`), underdetermined
 * systems, degrees above 64 (`x^1000000=2`), periodic equations with endless roots, and anything that times out.
 * A refusal throws a `PluginError` whose message is exactly {@link NO_RESULT} and whose `cause` says why.
 * Aborting (`ctx.signal`) rejects with `AbortedError` and kills the child. `dispose()` kills the child process.
 */
export function equationSolver(options: EquationSolverOptions = {}): Plugin {
  return defineIsolatedPlugin<string[]>({
    definition: {
      name: 'equation-solver',
      command: 'Solve',
      description: 'Solves an equation or a system of equations separated by ";" (exact roots when possible).',
      parameters: {
        type: 'object',
        properties: { equation: { type: 'string', description: 'The equation(s), e.g. "x+y=500;5x+8y=4000".' } },
        required: ['equation'],
      },
      label: 'Equation solver',
      enabled: options.enabled ?? true,
    },
    moduleUrl: import.meta.url,
    handler: 'solve',
    limits: {
      timeoutMs: options.timeoutMs ?? 8000,
      maxInputChars: options.maxInputChars ?? 1000,
      maxOldSpaceMb: options.maxOldSpaceMb ?? 192,
      poolSize: options.poolSize ?? 1,
    },
    failureText: NO_RESULT,
    inputNoun: 'input',
    prepare: (input) => normalizeMathInput(input, 'equation'),
    format: (lines) => lines.join('\n'),
  })
}
