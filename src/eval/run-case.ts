/**
 * Runs one evaluation case through the real agent loop: a fresh agent over the shared backend with the case's
 * plugins (so BFCL functions differ per case), one session with the case's plugin switches, the question sent once.
 * One round of calls is allowed (BFCL scores a single answer; MOSS has one command span per turn). A per-case
 * timeout aborts the turn; the turn's budget and context errors become the outcome's `error`. A failure of the model
 * server itself (see {@link isServingFailure}) is thrown: no score can be read from a model that did not answer.
 */
import { createAgent } from '../agent/create-agent.js'
import type { AgentEvent, TurnBudgets } from '../agent/types.js'
import type { ModelBackend, SamplingOptions } from '../backends/types.js'
import type { FormatOptions } from '../formats/types.js'
import type { MossError } from '../errors.js'
import type { Plugin } from '../plugins/types.js'
import { isServingFailure } from './serving-failure.js'
import type { CaseOutcome, EvalCase, ObservedCall } from './types.js'

/** How cases run. */
export interface RunCaseOptions {
  readonly backend: ModelBackend
  /** Dialogue format name. Defaults to `moss`. */
  readonly format?: string
  /** Constrain call spans with the format's grammar (formats without one ignore it). */
  readonly grammar: boolean
  /** Format options besides the grammar switch (language, system message). */
  readonly formatOptions?: FormatOptions
  /** Sampling of every generation. Defaults to greedy (`temperature: 0`): evaluation runs repeat. */
  readonly sampling?: SamplingOptions
  /** Turn budgets (e.g. a smaller `maxTokensPerGeneration` for a small-context model). */
  readonly budgets?: TurnBudgets
  /** Wall-clock limit of one case in milliseconds. Defaults to `120000`. */
  readonly timeoutMs?: number
}

/** What running one case gives. */
export interface RanCase {
  readonly outcome: CaseOutcome
  /** Whether every call parsed and ran (no refused or failed call). */
  readonly validCalls: boolean
  /** Tokens generated in the turn. */
  readonly generated: number
  readonly ms: number
}

/** The arguments of a call event: parsed ones, a single-string plugin's `{ argument: input }`, or the JSON of `input`. */
function argumentsOf(event: Extract<AgentEvent, { type: 'tool-call' }>, plugins: readonly Plugin[]): Record<string, unknown> {
  if (event.arguments !== undefined) return { ...event.arguments }
  const plugin = plugins.find((p) => p.command === event.name)
  if (plugin?.takesString) return { [plugin.argument]: event.input }
  try {
    const value: unknown = JSON.parse(event.input)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // not JSON: the call carries no arguments the checker can read
  }
  return {}
}

/**
 * Runs `c` once. Never throws for what the model or a plugin does; a failure to open a session and a failure of
 * the model server (HTTP error, broken stream, deadline, no model) propagate, after the session is disposed.
 */
export async function runCase(c: EvalCase, options: RunCaseOptions): Promise<RanCase> {
  const started = performance.now()
  const timeoutMs = options.timeoutMs ?? 120_000
  const plugins = c.plugins()
  const agent = createAgent({
    backend: options.backend,
    plugins,
    format: options.format ?? 'moss',
    formatOptions: { ...options.formatOptions, constrainCommands: options.grammar, maxToolRounds: 1 },
    sampling: options.sampling ?? { temperature: 0 },
    budgets: { ...options.budgets, maxTurnMs: timeoutMs },
  })
  const session = await agent.createSession()
  const control = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    control.abort()
  }, timeoutMs)
  const calls: ObservedCall[] = []
  const results: { name: string; output: string; ok: boolean }[] = []
  let answer = ''
  let error: string | undefined
  let serving: MossError | undefined
  let generated = 0
  try {
    if (c.enabled !== undefined) for (const p of plugins) await session.setPluginEnabled(p.name, c.enabled.includes(p.command))
    for await (const event of session.send(c.question, { signal: control.signal })) {
      if (event.type === 'tool-call') calls.push({ name: event.name, arguments: argumentsOf(event, plugins), input: event.input })
      else if (event.type === 'tool-result') results.push({ name: event.name, output: event.output, ok: true })
      else if (event.type === 'tool-error') results.push({ name: event.name, output: event.error.message, ok: false })
      else if (event.type === 'error') {
        error = event.error.message
        if (isServingFailure(event.error)) serving ??= event.error
      }
      else if (event.type === 'turn-finish') generated = event.usage.generated
      else if (event.type === 'text-delta') {
        answer += event.text
        if (c.stopAfterCalls && results.length > 0) control.abort()
      }
    }
  } finally {
    clearTimeout(timer)
    await session.dispose()
  }
  if (serving !== undefined) throw serving
  if (timedOut) error = `timed out after ${timeoutMs} ms`
  const raw = session.turns[0]?.commands
  const outcome: CaseOutcome = { calls, results, answer, ...(raw !== undefined ? { raw } : {}), ...(error !== undefined ? { error } : {}) }
  return { outcome, validCalls: results.every((r) => r.ok) && results.length >= calls.length, generated, ms: performance.now() - started }
}
