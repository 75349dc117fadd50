import { AbortedError, IsolationError, MossError, PluginError, createIsolationPool, definePlugin, resolveWorkerModule } from '../../src/index.js'
import type { IsolationPool, Plugin } from '../../src/index.js'
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
 * A refusal throws a {@link PluginError} whose message is exactly {@link NO_RESULT} and whose `cause` says why.
 * Aborting (`ctx.signal`) rejects with `AbortedError` and kills the child. `dispose()` kills the child process.
 */
export function equationSolver(options: EquationSolverOptions = {}): Plugin {
  const name = 'equation-solver'
  const maxInputChars = options.maxInputChars ?? 1000
  let pool: IsolationPool | undefined
  const getPool = (): IsolationPool =>
    (pool ??= createIsolationPool({
      module: resolveWorkerModule('worker.mjs', import.meta.url),
      name,
      size: options.poolSize ?? 1,
      maxOldSpaceMb: options.maxOldSpaceMb ?? 192,
      timeoutMs: options.timeoutMs ?? 8000,
      maxInputChars,
    }))

  return definePlugin({
    name,
    command: 'Solve',
    description: 'Solves an equation or a system of equations separated by ";" (exact roots when possible).',
    parameters: {
      type: 'object',
      properties: { equation: { type: 'string', description: 'The equation(s), e.g. "x+y=500;5x+8y=4000".' } },
      required: ['equation'],
    },
    label: 'Equation solver',
    enabled: options.enabled ?? true,
    async run(input, ctx) {
      if (input.length > maxInputChars) {
        throw failure(new PluginError(name, `input of ${input.length} characters exceeds the limit of ${maxInputChars}`))
      }
      const equation = normalizeMathInput(input, 'equation')
      try {
        const lines = await getPool().run<string[]>('solve', equation, { signal: ctx.signal })
        return lines.join('\n')
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
    return new PluginError(name, NO_RESULT, {
      cause: MossError.isInstance(cause) ? cause : new PluginError(name, String(cause)),
      ...(timeout ? { code: 'MOSS_ERR_PLUGIN_TIMEOUT' as const } : {}),
    })
  }
}
