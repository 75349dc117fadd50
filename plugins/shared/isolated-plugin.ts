/**
 * A plugin whose work runs in a warm, killable child process (an isolation pool), for evaluators that must not run
 * in the agent's process: a hostile expression can only exhaust the child's heap or its kill timer. The calculator
 * and the equation solver differ only in their worker, their limits and how they render a value.
 */
import { AbortedError, IsolationError, MossError, PluginError, createIsolationPool, definePlugin, describeError, resolveWorkerModule } from '../../src/plugin-kit.js'
import type { IsolationPool, Plugin, PluginDefinition } from '../../src/plugin-kit.js'

/** Resource limits of an isolated plugin; each plugin states its own defaults. */
export interface IsolationLimits {
  /** Kill timer of one call in the child process, in milliseconds. */
  readonly timeoutMs: number
  /** Longest accepted input, in characters (checked before `prepare`). */
  readonly maxInputChars: number
  /** Heap cap of the child process, in MB. */
  readonly maxOldSpaceMb: number
  /** Number of warm child processes. */
  readonly poolSize: number
}

/** What {@link defineIsolatedPlugin} takes. */
export interface IsolatedPluginSpec<Value> {
  /** The plugin's name, command, description, parameters, label and `enabled` flag (`run` and `dispose` are made here). */
  readonly definition: Omit<PluginDefinition, 'run' | 'dispose'>
  /** `import.meta.url` of the plugin's module: its `worker.mjs` is looked up next to it. */
  readonly moduleUrl: string
  /** Name of the worker's handler that one call runs. */
  readonly handler: string
  /** Resource limits. */
  readonly limits: IsolationLimits
  /** The exact text the model sees when a call fails (MOSS's training data has one fixed text per plugin). */
  readonly failureText: string
  /** What the input is called in the oversized-input message (`expression`, `input`). */
  readonly inputNoun: string
  /** Turns raw model input into the worker's input (normalising full-width and Chinese notation). */
  prepare(input: string): string
  /** Renders the worker's value as the result text. */
  format(value: Value): string
}

/**
 * Defines a plugin that runs `spec.handler` of its `worker.mjs` in an isolation pool, started on the first call.
 * Any failure (oversized input, worker error, timeout, heap limit) throws a {@link PluginError} whose message is
 * exactly `failureText` and whose `cause` says why; a timeout carries `MOSS_ERR_PLUGIN_TIMEOUT`. Aborting
 * (`ctx.signal`) rejects with `AbortedError` and kills the child. `dispose()` kills the child processes.
 */
export function defineIsolatedPlugin<Value>(spec: IsolatedPluginSpec<Value>): Plugin {
  const { name } = spec.definition
  const { maxInputChars } = spec.limits
  let pool: IsolationPool | undefined
  const getPool = (): IsolationPool =>
    (pool ??= createIsolationPool({
      module: resolveWorkerModule('worker.mjs', spec.moduleUrl),
      name,
      size: spec.limits.poolSize,
      maxOldSpaceMb: spec.limits.maxOldSpaceMb,
      timeoutMs: spec.limits.timeoutMs,
      maxInputChars,
    }))

  const failure = (cause: unknown): PluginError => {
    const timeout = cause instanceof IsolationError && cause.reason === 'timeout'
    return new PluginError(name, spec.failureText, {
      cause: MossError.isInstance(cause) ? cause : new PluginError(name, describeError(cause)),
      ...(timeout ? { code: 'MOSS_ERR_PLUGIN_TIMEOUT' as const } : {}),
    })
  }

  return definePlugin({
    ...spec.definition,
    async run(input, ctx) {
      if (input.length > maxInputChars) {
        throw failure(new PluginError(name, `${spec.inputNoun} of ${input.length} characters exceeds the limit of ${maxInputChars}`))
      }
      const prepared = spec.prepare(input)
      try {
        return spec.format(await getPool().run<Value>(spec.handler, prepared, { signal: ctx.signal }))
      } catch (error) {
        // An abort is the caller's decision, not a failed call: it must stay an abort, not become `failureText`.
        if (error instanceof AbortedError) throw error
        throw failure(error)
      }
    },
    async dispose() {
      await pool?.dispose()
      pool = undefined
    },
  })
}
