/**
 * What the contenders share on one model: the llama.cpp binding, the loaded model (through the local backend),
 * the plugins, the dialogue script and its forced format.
 */
import type { Llama, LlamaModel, Token } from 'node-llama-cpp'
import type { LlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import type { GpuChoice } from '../src/backends/llama-cpp/device.js'
import type { SamplingOptions } from '../src/backends/types.js'
import { createMossFormat, MOSS_ROLE } from '../src/formats/index.js'
import type { DialogueFormat, GenerationStep, StepDecision, ToolCall, ToolResult, TurnDriver } from '../src/formats/types.js'
import { describeError } from '../src/errors.js'
import type { Plugin } from '../src/plugins/types.js'
import { answerGrammar, firstGenerationGrammar } from './dialogue.js'
import type { ScriptTurn } from './dialogue.js'
import type { DialogueResult } from './metrics.js'
import type { GrammarCache } from './raw-generate.js'

/** Shared by every contender on one model. */
export interface BenchEnv {
  readonly llama: Llama
  /** The dialogue backend (one session); contenders (a), (c), (d) create their own contexts on its model. */
  readonly backend: LlamaCppBackend
  readonly model: LlamaModel
  readonly plugins: readonly Plugin[]
  readonly format: DialogueFormat
  readonly script: readonly ScriptTurn[]
  readonly sampling: Required<SamplingOptions>
  readonly answerChars: number
  readonly threads: number
  /** The device choice of every backend the bench opens (`false`: CPU). */
  readonly gpu: GpuChoice
  readonly contextSize: number
  readonly grammars: GrammarCache
}

/** BOS when the model wants one (as the backend's transcript starts). */
export function bosTokens(model: LlamaModel): Token[] {
  const bos = model.tokens.bos
  return bos !== null && model.tokens.shouldPrependBosToken ? [bos] : []
}

/** Runs tool calls on the bench plugins, as the agent would render them for the model. */
export async function runToolCalls(plugins: readonly Plugin[], calls: readonly ToolCall[]): Promise<ToolResult[]> {
  return Promise.all(
    calls.map(async (call): Promise<ToolResult> => {
      const plugin = plugins.find((p) => p.command === call.command)
      if (plugin === undefined) return { call, ok: false, text: `Unknown command ${call.command}` }
      try {
        return { call, ok: true, text: (await plugin.run(call.input)).text }
      } catch (error) {
        return { call, ok: false, text: describeError(error) }
      }
    }),
  )
}

function withConstrain(step: GenerationStep, trigger: string, gbnf: string): GenerationStep {
  return { ...step, constrain: { trigger, gbnf } }
}

/**
 * The MOSS format with every generation forced by the script: the first generation from `<|Inner Thoughts|>:` to
 * `<eoc>`, the answer from `<|MOSS|>:` to `<eom>` with a fixed number of characters. Everything else (parsing,
 * results blocks, records) is MOSS's own.
 */
export function forcedMossFormat(script: readonly ScriptTurn[], answerChars: number): DialogueFormat {
  const inner = createMossFormat()
  const answer = (step: GenerationStep): GenerationStep => withConstrain(step, MOSS_ROLE.answer, answerGrammar(answerChars))
  return {
    name: inner.name,
    renderSystem: (plugins) => inner.renderSystem(plugins),
    renderHistory: (plugins, turns, options) => inner.renderHistory(plugins, turns, options),
    beginTurn(human, plugins, previous) {
      const turn = script[previous % script.length] as ScriptTurn
      const { parts, driver } = inner.beginTurn(human, plugins, previous)
      const forced: TurnDriver = {
        firstStep: withConstrain(driver.firstStep, MOSS_ROLE.thought, firstGenerationGrammar(turn)),
        afterGeneration(text, outcome): StepDecision {
          const decision = driver.afterGeneration(text, outcome)
          return decision.type === 'continue' ? { ...decision, step: answer(decision.step) } : decision
        },
        results(results) {
          const next = driver.results(results)
          return { parts: next.parts, step: answer(next.step) }
        },
        record: () => driver.record(),
      }
      return { parts, driver: forced }
    },
  }
}

/** The run with the median end-to-end time (the lower middle one for an even count). */
export function medianRun(list: readonly DialogueResult[]): DialogueResult {
  const sorted = [...list].sort((a, b) => a.e2eMs - b.e2eMs)
  return sorted[Math.floor((sorted.length - 1) / 2)] as DialogueResult
}

/**
 * Warms what the first contender would otherwise pay for alone: the plugins' isolated child processes (a cold call
 * costs seconds) and the model's weights and buffers (one short generation).
 */
export async function warmUp(env: BenchEnv): Promise<void> {
  await runToolCalls(
    env.plugins,
    env.script.flatMap((t, i) => (t.call ? [{ id: `warm_${i}`, command: t.call.command, input: t.call.input }] : [])),
  )
  const session = await env.backend.open()
  try {
    await session.append(env.format.renderSystem(env.plugins))
    for await (const _ of session.generate({ stop: ['<never-produced>'], maxTokens: 8, sampling: env.sampling })) void _
  } finally {
    await session.dispose()
  }
}
