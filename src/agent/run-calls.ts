import { InvalidInputError, PluginNotFoundError } from '../errors.js'
import type { MossError } from '../errors.js'
import type { ToolCall, ToolResult } from '../formats/types.js'
import { runPluginCalls } from '../plugins/runner.js'
import type { PluginCallOutcome } from '../plugins/runner.js'
import type { PluginLogger } from '../plugins/types.js'
import type { ResolvedBudgets } from './budgets.js'
import type { SessionCore } from './session-core.js'
import type { AgentEvent } from './types.js'

/** Options of {@link runCalls}. */
export interface RunCallsOptions {
  /** Per-call timeout, concurrency and output size come from here. */
  readonly budgets: ResolvedBudgets
  /** Parent logger; each plugin gets a child scoped to its name. */
  readonly logger: PluginLogger
  /** The turn's signal: aborting it aborts every running call. */
  readonly signal: AbortSignal
}

/**
 * The text the model sees for a failed call. Formats may render failures their own way (MOSS writes
 * `No result.`-style lines); this is the fallback they receive in `ToolResult.text`.
 */
export function errorResultText(error: MossError): string {
  return `Error: ${error.message}`
}

function toResult(outcome: PluginCallOutcome): ToolResult {
  if (outcome.ok) {
    const { images, data } = outcome.output
    return { call: outcome.call, ok: true, text: outcome.output.text, ...(images?.length ? { images } : {}), ...(data !== undefined ? { data } : {}) }
  }
  return { call: outcome.call, ok: false, text: errorResultText(outcome.error) }
}

function rejectionError(core: SessionCore, rejected: ToolResult): MossError {
  const plugin = core.registry.byCommand(rejected.call.command)
  if (!plugin || !core.enabled.has(plugin.name)) {
    const available = core.plugins().filter((p) => p.enabled).map((p) => p.command)
    return new PluginNotFoundError(rejected.call.command, available)
  }
  return new InvalidInputError(rejected.text)
}

function callEvent(call: ToolCall): AgentEvent {
  return { type: 'tool-call', id: call.id, name: call.command, input: call.input, ...(call.arguments !== undefined ? { arguments: call.arguments } : {}) }
}

/**
 * Runs the calls of one step concurrently and yields their events: `tool-call` for every call (rejected ones
 * included, followed by their `tool-error`), then, in call order, `tool-result` (plus one `image` event per image)
 * or `tool-error`. Returns the results of `calls` in the order given, for `TurnDriver.results`, and the time spent.
 */
export async function* runCalls(
  core: SessionCore,
  calls: readonly ToolCall[],
  rejected: readonly ToolResult[],
  options: RunCallsOptions,
): AsyncGenerator<AgentEvent, { results: ToolResult[]; ms: number }, void> {
  for (const call of calls) yield callEvent(call)
  for (const result of rejected) {
    yield callEvent(result.call)
    yield { type: 'tool-error', id: result.call.id, name: result.call.command, input: result.call.input, error: rejectionError(core, result) }
  }
  const started = performance.now()
  // Progress reports arrive while the calls run: queue them and yield each as it comes, until every call settled.
  const progress: AgentEvent[] = []
  let wake: (() => void) | undefined
  const running = runPluginCalls(core.registry, calls, {
    signal: options.signal,
    timeoutMs: options.budgets.pluginTimeoutMs,
    maxResultChars: options.budgets.maxResultChars,
    logger: options.logger,
    isEnabled: (plugin) => core.enabled.has(plugin.name),
    onProgress: (call, update) => {
      progress.push({ type: 'tool-progress', id: call.id, name: call.command, ...update })
      wake?.()
    },
  })
  let outcomes: PluginCallOutcome[] | undefined
  void running.then((done) => {
    outcomes = done
    wake?.()
  })
  while (true) {
    if (progress.length > 0) {
      yield* progress.splice(0)
      continue
    }
    if (outcomes) break
    await new Promise<void>((resolve) => (wake = resolve))
  }
  const ms = performance.now() - started
  for (const outcome of outcomes) {
    const { id, command: name, input } = outcome.call
    if (!outcome.ok) {
      yield { type: 'tool-error', id, name, input, error: outcome.error }
      continue
    }
    const { images, data } = outcome.output
    yield { type: 'tool-result', id, name, input, output: outcome.output.text, ...(images?.length ? { images } : {}), ...(data !== undefined ? { data } : {}) }
    for (const image of images ?? []) yield { type: 'image', path: image.path, mimeType: image.mimeType }
  }
  return { results: outcomes.map(toResult), ms }
}
