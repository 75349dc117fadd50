/**
 * Like for like end to end (issue 18, item 3): the scripted 10-turn tool dialogue in the `qwen` format on the
 * random-weight model with Qwen3's real vocabulary (tools/gguf/real-vocab-models.ts), moss-agent (contender (b),
 * `qwen` format forced by bench/qwen-dialogue.ts) against LlamaChatSession with node-llama-cpp's QwenChatWrapper and
 * `defineChatSessionFunction` (contender (d), calls forced through node-llama-cpp's own function calling). Both
 * write the same calls at the same turns and answers of the same length, so the ratio of their whole-dialogue times,
 * `e2e_vs_chat_session_same_format` (goal ≤ 0.8), compares the two libraries rather than two protocols.
 *
 * The run throws when the contenders did not do the same work: a different number of tool calls than the script
 * has, or generated-token totals further apart than {@link GENERATED_TOLERANCE}.
 */
import { stat } from 'node:fs/promises'
import { QwenChatWrapper } from 'node-llama-cpp'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import { llamaCppHandles } from '../src/backends/llama-cpp/handles.js'
import { getSharedLlama } from '../src/backends/llama-cpp/llama-instance.js'
import { BackendError } from '../src/errors.js'
import type { Plugin } from '../src/plugins/types.js'
import { realVocabModelPath } from '../tools/gguf/real-vocab-models.js'
import type { BenchEnv } from './bench-env.js'
import { medianRun, warmUp } from './bench-env.js'
import { runAgent } from './contenders/agent.js'
import { runChatSession } from './contenders/chat-session.js'
import { benchSampling, dialogueScript } from './dialogue.js'
import type { ScriptTurn } from './dialogue.js'
import type { DialogueResult, DialogueSummary } from './metrics.js'
import { ratio, summarize } from './metrics.js'
import type { BenchOptions } from './options.js'
import { forcedQwenFormat, qwenAnswerTokens, SAME_FORMAT_SYSTEM } from './qwen-dialogue.js'
import { GrammarCache } from './raw-generate.js'

/**
 * How far apart the two contenders' generated-token totals may be (relative to the larger one). moss-agent counts the
 * ~20 tokens of each call block its backend appends in one batch; LlamaChatSession has the call prefix in its context
 * and samples the name and arguments, so its total is lower by about that much.
 */
export const GENERATED_TOLERANCE = 0.3

/** The ratio's key and goal. */
export const SAME_FORMAT_GOAL = { key: 'e2e_vs_chat_session_same_format', goal: '≤ 0.8', met: (v: number): boolean => v <= 0.8 } as const

/** Results of {@link measureSameFormat}. */
export interface SameFormatResult {
  readonly model: string
  readonly fileBytes: number
  /** moss-agent (`agent`) and LlamaChatSession (`chat-session`), the median run of each. */
  readonly summaries: readonly DialogueSummary[]
  /** Tokens evaluated per tool resume, per contender. */
  readonly resumeEvaluated: Readonly<Record<string, readonly number[]>>
  /** End-to-end time of every repeat, per contender (ms). */
  readonly e2eRepeatsMs: Readonly<Record<string, readonly number[]>>
  /**
   * Whole-turn time of the median run split by the script's turns, per contender (ms): turns with a tool call (call,
   * tool, resume, answer) and turns without (user line and answer only), so that the ratio's sources show.
   */
  readonly turnsMs: Readonly<Record<string, { readonly withCall: number; readonly withoutCall: number }>>
  /** moss-agent e2e ÷ LlamaChatSession e2e (`null` if either took no time). */
  readonly ratio: number | null
}

/** Throws unless both dialogues made the script's calls and generated comparable numbers of tokens. */
export function checkSameWork(results: readonly DialogueResult[], expectedCalls: number): void {
  for (const result of results) {
    if (result.toolCalls !== expectedCalls) throw new BackendError(`same-format ${result.contender} made ${result.toolCalls} tool calls, the script has ${expectedCalls}`)
  }
  const generated = results.map((r) => summarize(r).generatedTotal)
  const most = Math.max(...generated)
  const least = Math.min(...generated)
  if (most > 0 && (most - least) / most > GENERATED_TOLERANCE) {
    throw new BackendError(`same-format contenders generated ${results.map((r, i) => `${r.contender} ${generated[i]}`).join(', ')} tokens: more than ${GENERATED_TOLERANCE * 100}% apart`)
  }
}

/** Runs both contenders on the Qwen3-vocabulary model (written to `.cache/models/` on first use). */
export async function measureSameFormat(options: BenchOptions, plugins: readonly Plugin[], log: (line: string) => void = () => {}): Promise<SameFormatResult> {
  const path = await realVocabModelPath('qwen3')
  const llama = await getSharedLlama(options.gpu)
  const contextSize = 4096
  const backend = await createLlamaCppBackend({ model: path, threads: options.threads, gpu: options.gpu, contextSize, maxSessions: 1 })
  try {
    const script = dialogueScript(options.turns)
    const answerTokens = qwenAnswerTokens(options.answerChars)
    const model = llamaCppHandles(backend).model
    const env: BenchEnv = {
      llama,
      backend,
      model,
      plugins,
      format: forcedQwenFormat(script, answerTokens),
      script,
      sampling: benchSampling(options.seed),
      answerChars: options.answerChars,
      threads: options.threads,
      gpu: options.gpu,
      contextSize,
      grammars: new GrammarCache(llama, model),
    }
    await warmUp(env)
    const contenders = [
      { name: 'agent', run: () => runAgent(env, { answersEndByBudget: true }) },
      { name: 'chat-session', run: () => runChatSession(env, { wrapper: new QwenChatWrapper(), systemPrompt: SAME_FORMAT_SYSTEM, prefixInContext: true, answerTokens }) },
    ] as const
    const runs = new Map<string, DialogueResult[]>()
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(k + repeat) % contenders.length] as (typeof contenders)[number]
        log(`[qwen3 151k, qwen format] ${contender.name}: ${options.turns} turns${options.repeats > 1 ? ` (repeat ${repeat + 1}/${options.repeats})` : ''}`)
        const result = await contender.run()
        checkSameWork([result], script.filter((t) => t.call).length)
        runs.set(contender.name, [...(runs.get(contender.name) ?? []), result])
      }
    }
    const results = contenders.map((c) => medianRun(runs.get(c.name) ?? []))
    checkSameWork(results, script.filter((t) => t.call).length)
    const [agent, chat] = results.map(summarize)
    return {
      model: path.split('/').at(-1) ?? path,
      fileBytes: (await stat(path)).size,
      summaries: results.map(summarize),
      resumeEvaluated: Object.fromEntries(results.map((r) => [r.contender, r.resumes.map((x) => x.evaluated)])),
      e2eRepeatsMs: Object.fromEntries([...runs].map(([c, list]) => [c, list.map((r) => Math.round(r.e2eMs))])),
      turnsMs: Object.fromEntries(results.map((r) => [r.contender, splitTurns(r, script)])),
      ratio: ratio(agent?.e2eMs, chat?.e2eMs) ?? null,
    }
  } finally {
    await backend.dispose()
  }
}

/** Sums whole-turn times over the turns with and without a scripted call. */
function splitTurns(result: DialogueResult, script: readonly ScriptTurn[]): { withCall: number; withoutCall: number } {
  const sum = (call: boolean): number => result.turns.reduce((total, turn, i) => total + ((script[i]?.call !== undefined) === call ? turn.totalMs : 0), 0)
  return { withCall: Math.round(sum(true)), withoutCall: Math.round(sum(false)) }
}
