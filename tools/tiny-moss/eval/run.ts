/**
 * One evaluation setup: the real agent loop (`createAgent` + `createLlamaCppBackend`) with the real calculator and
 * equation solver, a search stand-in and an image stand-in; every question in a fresh session with its own plugin
 * switches. A plugin can be made to fail for the next question (tool-error honesty).
 */
import { createAgent } from '../../../src/agent/index.js'
import type { AgentEvent } from '../../../src/agent/types.js'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { SamplingOptions } from '../../../src/backends/types.js'
import { PluginError } from '../../../src/errors.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import type { Plugin } from '../../../src/plugins/types.js'
import { calculator, equationSolver } from '../../../plugins/index.js'
import type { TurnOutcome } from './scoring.js'

/** Options of {@link createEvalRun}. */
export interface EvalRunOptions {
  readonly model?: string
  readonly threads: number
  readonly grammar: boolean
  /** `greedy` (temperature 0) or `default` (the backend's MOSS sampling, as a user gets it). */
  readonly sampling: 'greedy' | 'default'
  /** Search results: JSON array of snippets for a query; defaults to one neutral snippet. */
  readonly searchResult?: (query: string) => string
  /** Context size; defaults to the backend's. */
  readonly contextSize?: number
  /** The agent's per-generation budget; defaults to the agent's. */
  readonly maxTokensPerGeneration?: number
  /**
   * Registers examples/custom-plugin's `WordStats` beside the four (switched off unless a question enables it), as
   * that example does. Off, the switch lines are MOSS's own, as `npx moss chat` and MOSS's SFT data have them.
   */
  readonly customPlugin?: boolean
}

/** What {@link EvalRun.ask} returns. */
export interface AskOutcome extends TurnOutcome {
  readonly commands: string
  readonly errors: readonly string[]
}

/** An agent ready for evaluation questions. */
export interface EvalRun {
  /**
   * Asks `question` in a fresh session with exactly `enabled` commands switched on; `fail` makes that command throw;
   * `routingOnly` stops the turn when the answer starts (calls and results are in, the answer is not needed).
   */
  ask(question: string, enabled: readonly string[], options?: { fail?: string; routingOnly?: boolean }): Promise<AskOutcome>
  /** The agent's plugins (commands: Search, Calculate, Solve, Text2Image, and WordStats with `customPlugin`). */
  readonly plugins: readonly Plugin[]
  readonly backend: Awaited<ReturnType<typeof createLlamaCppBackend>>
  readonly agent: ReturnType<typeof createAgent>
  dispose(): Promise<void>
}

/** The errors a failing plugin throws, as real services fail. */
const FAILURES: Record<string, string> = {
  Search: 'Search service unavailable.',
  Calculate: 'Calculation failed.',
  Solve: 'Solver failed.',
  Text2Image: 'Text-to-image is not configured.',
}

/** Creates the agent and plugins of one evaluation mode. */
export async function createEvalRun(options: EvalRunOptions): Promise<EvalRun> {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'
  let failing: string | undefined
  const guard = (command: string): void => {
    if (failing === command) throw new PluginError(command, FAILURES[command] ?? 'Service unavailable.')
  }
  const calc = calculator()
  const solver = equationSolver()
  const search = options.searchResult ?? ((q: string) => JSON.stringify([`Results for ${q}: (evaluation stand-in, no facts).`]))
  const plugins: Plugin[] = [
    definePlugin({
      name: 'search', command: 'Search', description: 'Web search (evaluation stand-in)', label: 'Web search',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
      run: (input) => (guard('Search'), search(input)),
    }),
    definePlugin({
      name: 'calculator', command: 'Calculate', description: calc.description, label: 'Calculator',
      parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
      run: async (input, ctx) => (guard('Calculate'), calc.run(input, ctx)),
    }),
    definePlugin({
      name: 'equation-solver', command: 'Solve', description: solver.description, label: 'Equation solver',
      parameters: { type: 'object', properties: { equation: { type: 'string' } }, required: ['equation'] },
      run: async (input, ctx) => (guard('Solve'), solver.run(input, ctx)),
    }),
    definePlugin({
      name: 'text-to-image', command: 'Text2Image', description: 'Text to image (evaluation stand-in)', label: 'Text-to-image',
      parameters: { type: 'object', properties: { description: { type: 'string' } }, required: ['description'] },
      run: () => (guard('Text2Image'), 'Image generated successfully.'),
    }),
  ]
  if (options.customPlugin === true) {
    plugins.push(definePlugin({
      name: 'word-stats', command: 'WordStats', description: 'Counts the characters, words and sentences of a text.', label: 'Word statistics',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      run: (input) => `${input.length} characters, ${input.split(/\s+/).filter(Boolean).length} words, 1 sentences`,
    }))
  }
  const sampling: SamplingOptions | undefined = options.sampling === 'greedy' ? { temperature: 0 } : undefined
  const backend = await createLlamaCppBackend({
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.contextSize !== undefined ? { contextSize: options.contextSize } : {}),
    threads: options.threads,
    gpu: false,
    grammar: options.grammar,
    maxSessions: 1,
    ...(sampling ? { sampling } : {}),
  })
  const agent = createAgent({
    backend,
    plugins,
    formatOptions: { constrainCommands: options.grammar },
    ...(sampling ? { sampling } : {}),
    ...(options.maxTokensPerGeneration !== undefined ? { budgets: { maxTokensPerGeneration: options.maxTokensPerGeneration } } : {}),
  })
  return {
    plugins,
    backend,
    agent,
    async ask(question, enabled, askOptions = {}) {
      failing = askOptions.fail
      const session = await agent.createSession()
      try {
        for (const p of plugins) await session.setPluginEnabled(p.name, enabled.includes(p.command))
        const control = new AbortController()
        const events: AgentEvent[] = []
        let text = ''
        for await (const event of session.send(question, { signal: control.signal })) {
          events.push(event)
          if (event.type === 'text-delta') {
            text += event.text
            if (askOptions.routingOnly) control.abort()
          }
        }
        return outcomeOf(events, text, session.turns[0]?.commands ?? '')
      } finally {
        failing = undefined
        await session.dispose()
      }
    },
    async dispose() {
      await agent.dispose()
      await backend.dispose()
      await calc.dispose?.()
      await solver.dispose?.()
    },
  }
}

/** Calls, results and answer of one turn's events. */
export function outcomeOf(events: readonly AgentEvent[], answer: string, commands: string): AskOutcome {
  const calls: { name: string; input: string }[] = []
  const results: { name: string; output: string; ok: boolean }[] = []
  const errors: string[] = []
  for (const e of events) {
    if (e.type === 'tool-call') calls.push({ name: e.name, input: e.input })
    else if (e.type === 'tool-result') results.push({ name: e.name, output: e.output, ok: true })
    else if (e.type === 'tool-error') results.push({ name: e.name, output: e.error.message, ok: false })
    else if (e.type === 'error') errors.push(e.error.message)
  }
  return { calls, results, answer, commands: commands.trim(), errors }
}
