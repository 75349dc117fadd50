import { AbortedError, InvalidInputError, MossError, PluginError, PluginNotFoundError, describeError } from '../errors.js'
import { silentLogger } from './define-plugin.js'
import { validatePluginOutput } from './plugin-output.js'
import type { PluginRegistry } from './registry.js'
import { createScopedLogger } from './scoped-logger.js'
import type { Plugin, PluginLogger, PluginOutput, PluginProgress } from './types.js'

/** One call to run (structurally the same as a format's `ToolCall`). */
export interface PluginCall {
  /** Call id, unique within the session. */
  readonly id: string
  /** The command the model wrote. */
  readonly command: string
  /** The arguments as displayed (a single-string plugin's string, else the JSON text). */
  readonly input: string
  /** The parsed arguments; when absent, `input` is the whole argument (MOSS's `Cmd("…")`). */
  readonly arguments?: Readonly<Record<string, unknown>>
}

/** How one call ended. Failures never throw: they are outcomes the agent turns into error results. */
export type PluginCallOutcome =
  | { readonly call: PluginCall; readonly plugin: Plugin; readonly ok: true; readonly output: PluginOutput; readonly ms: number }
  | { readonly call: PluginCall; readonly plugin?: Plugin; readonly ok: false; readonly error: MossError; readonly ms: number }

/** Options of {@link runPluginCalls}. */
export interface PluginRunOptions {
  /** The turn's signal: aborting it aborts every running call (each plugin also gets it, combined with its timer). */
  readonly signal?: AbortSignal
  /** Timeout of plugins that set no `timeoutMs`. Defaults to `30000`. */
  readonly timeoutMs?: number
  /** Longest accepted result text (UTF-16 code units). Defaults to `20000`. */
  readonly maxResultChars?: number
  /** Receives plugin logs, tagged with the plugin name. Defaults to silent. */
  readonly logger?: PluginLogger
  /** Whether a plugin may be called. Defaults to the plugin's own `enabled` flag. */
  readonly isEnabled?: (plugin: Plugin) => boolean
  /** Receives the progress a plugin reports during a call. Defaults to dropping it. */
  readonly onProgress?: (call: PluginCall, update: PluginProgress) => void
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RESULT_CHARS = 20_000

/**
 * Runs the calls of one step concurrently and returns their outcomes in the order of `calls`. Unknown or disabled
 * commands, arguments that fail the plugin's schema (InvalidInputError), throws, timeouts, aborts and unusable
 * output all become `ok: false` outcomes with a typed error.
 */
export async function runPluginCalls(
  registry: PluginRegistry,
  calls: readonly PluginCall[],
  options: PluginRunOptions = {},
): Promise<PluginCallOutcome[]> {
  const isEnabled = options.isEnabled ?? ((plugin: Plugin) => plugin.enabled)
  return Promise.all(
    calls.map((call) => {
      const plugin = registry.byCommand(call.command)
      if (!plugin || !isEnabled(plugin)) {
        const available = registry.plugins.filter(isEnabled).map((p) => p.command)
        const failed: PluginCallOutcome = { call, ok: false, error: new PluginNotFoundError(call.command, available), ms: 0 }
        return Promise.resolve(failed)
      }
      return runPluginCall(plugin, call, options)
    }),
  )
}

/**
 * Runs one call with its timeout (`plugin.timeoutMs`, else `options.timeoutMs`). The plugin's promise is raced
 * against the timer and the turn's signal, so a plugin that ignores its signal cannot hang the turn; its late
 * result is discarded.
 */
export async function runPluginCall(plugin: Plugin, call: PluginCall, options: PluginRunOptions = {}): Promise<PluginCallOutcome> {
  const started = performance.now()
  const timeoutMs = plugin.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxChars = options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS
  const timer = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal
  let handle: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  let settled = false
  const guard = new Promise<never>((_, reject) => {
    const aborted = (): void => reject(new AbortedError(`Plugin "${plugin.name}" was aborted`, { cause: options.signal?.reason }))
    if (options.signal?.aborted) return aborted()
    onAbort = aborted
    options.signal?.addEventListener('abort', onAbort, { once: true })
    handle = setTimeout(() => {
      const error = new PluginError(plugin.name, `Plugin "${plugin.name}" timed out after ${timeoutMs} ms`, {
        code: 'MOSS_ERR_PLUGIN_TIMEOUT',
      })
      timer.abort(error)
      reject(error)
    }, timeoutMs)
  })
  try {
    const log = createScopedLogger(options.logger ?? silentLogger, plugin.name)
    const progress = (update: PluginProgress): void => {
      // Reports after the call settled (a plugin that ignored its signal) are dropped.
      if (!settled) options.onProgress?.(call, update)
    }
    // `then` turns a synchronous throw inside run into a rejection that the race sees.
    const running = Promise.resolve().then(() => plugin.run(call.arguments ?? call.input, { signal, log, config: plugin.config, progress }))
    const raw: unknown = await Promise.race([running, guard])
    const output = validatePluginOutput(plugin.name, raw, maxChars)
    return { call, plugin, ok: true, output, ms: performance.now() - started }
  } catch (error) {
    return { call, plugin, ok: false, error: toPluginError(plugin, error), ms: performance.now() - started }
  } finally {
    settled = true
    if (handle) clearTimeout(handle)
    if (onAbort) options.signal?.removeEventListener('abort', onAbort)
  }
}

/** Our own errors pass as they are; anything else thrown, however hostile (see {@link describeError}), is wrapped. */
function toPluginError(plugin: Plugin, error: unknown): MossError {
  try {
    const kept = ['MOSS_ERR_PLUGIN_TIMEOUT', 'MOSS_ERR_ABORTED', 'MOSS_ERR_INVALID_INPUT']
    const ours =
      error instanceof PluginError ||
      error instanceof AbortedError ||
      error instanceof InvalidInputError ||
      (MossError.isInstance(error) && kept.includes(error.code))
    // Reading the message proves it can be shown (a Proxy may claim any prototype and still throw on access).
    if (ours && typeof error.message === 'string') return error
  } catch {
    // A hostile value: wrapped below.
  }
  return new PluginError(plugin.name, `Plugin "${plugin.name}" failed: ${describeError(error)}`, { cause: error })
}
