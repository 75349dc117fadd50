/**
 * Runs the whole bench for the given options and returns one report object (what `--json` prints).
 */
import { stat } from 'node:fs/promises'
import { calculator } from '../plugins/calculator/index.js'
import { equationSolver } from '../plugins/equation-solver/index.js'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import { getSharedLlama } from '../src/backends/llama-cpp/llama-instance.js'
import { deviceName } from '../src/backends/llama-cpp/device.js'
import type { Plugin } from '../src/plugins/types.js'
import type { BenchEnv } from './bench-env.js'
import { forcedMossFormat, medianRun, warmUp } from './bench-env.js'
import { CONTEXT_SIZE as CONCURRENCY_CONTEXT, measureConcurrency } from './concurrency.js'
import { measureEngineBatch, type EngineBatchCost } from './engine-batch.js'
import type { ConcurrencySample } from './concurrency.js'
import { runAgent } from './contenders/agent.js'
import { runChatSession } from './contenders/chat-session.js'
import { runMossReference } from './contenders/moss-reference.js'
import { runRawLoop } from './contenders/raw-loop.js'
import { benchSampling, dialogueScript } from './dialogue.js'
import { machineInfo } from './machine.js'
import type { MachineInfo } from './machine.js'
import type { DialogueResult, DialogueSummary } from './metrics.js'
import { peakRssMiB, summarize } from './metrics.js'
import { measureMicro } from './micro.js'
import { measureMixedLoad } from './mixed-load.js'
import type { MixedLoadResult } from './mixed-load.js'
import type { MicroResult } from './micro.js'
import { resolveBenchModel } from './models.js'
import { runsSameFormat } from './options.js'
import type { BenchOptions, ContenderName } from './options.js'
import { measurePluginLatency } from './plugin-latency.js'
import type { PluginLatency } from './plugin-latency.js'
import { measureGrammarCost } from './grammar-cost.js'
import type { GrammarCostResult } from './grammar-cost.js'
import { GrammarCache } from './raw-generate.js'
import { computeRatios } from './ratios.js'
import type { Ratios } from './ratios.js'
import { llamaCppHandles } from '../src/backends/llama-cpp/handles.js'
import { measureSameFormat } from './same-format.js'
import type { SameFormatResult } from './same-format.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= 'true'

/** The dialogue context per sequence: room for 10 turns of the script after the ~1,000-token meta instruction (the random models tokenize it almost per character). */
const CONTEXT_SIZE = 4096

/** Everything measured on one model. */
export interface ModelReport {
  readonly name: string
  readonly path: string
  readonly params: string
  readonly fileBytes: number
  readonly description: string
  readonly summaries: readonly DialogueSummary[]
  /** Time to first token of every turn, per contender (ms). */
  readonly ttftByTurn: Readonly<Partial<Record<ContenderName, readonly number[]>>>
  /** Tokens evaluated per tool resume, per contender. */
  readonly resumeEvaluated: Readonly<Partial<Record<ContenderName, readonly number[]>>>
  /** End-to-end time of every repeat, per contender (ms); the table shows the median run. */
  readonly e2eRepeatsMs: Readonly<Partial<Record<ContenderName, readonly number[]>>>
  readonly micro: MicroResult | undefined
  readonly concurrency: readonly ConcurrencySample[]
  /** What a native decode of k tokens costs on bare node-llama-cpp, for the concurrency levels (none without them). */
  readonly engineBatch: EngineBatchCost | undefined
  /** Two sessions generating while a third processes a long prompt (`--mixed-prompt-tokens 0` skips it). */
  readonly mixed: MixedLoadResult | undefined
  readonly ratios: Ratios
  readonly peakRssMiB: number
}

/** The bench's JSON output. */
export interface BenchReport {
  readonly machine: MachineInfo
  readonly threads: number
  readonly turns: number
  readonly answerChars: number
  readonly seed: number
  /** The device llama.cpp actually ran on (`cpu`, `cuda`, `vulkan`, `metal`). */
  readonly device: string
  readonly contenders: readonly ContenderName[]
  readonly skippedModels: readonly string[]
  readonly models: readonly ModelReport[]
  /** The model whose ratios are `ratios` (the last one measured: the largest in the default list). */
  readonly model: string | undefined
  readonly pluginLatency: readonly PluginLatency[]
  readonly peakRssMiB: number
  /** Grammar-constrained call spans on the 151k vocabulary (`--grammar-tokens 0` skips them). */
  readonly grammarCost: GrammarCostResult | undefined
  /** The `qwen` dialogue on the Qwen3-vocabulary model, moss-agent vs LlamaChatSession (`--same-format off` skips it). */
  readonly sameFormat: SameFormatResult | undefined
  /**
   * The primary model's ratios, the grammar cost on the 151k vocabulary and the same-format end-to-end ratio
   * (`null` when skipped).
   */
  readonly ratios: Ratios & { readonly grammar_cost_151k: number | null; readonly e2e_vs_chat_session_same_format: number | null }
}

const RUNNERS: Readonly<Record<ContenderName, (env: BenchEnv) => Promise<DialogueResult>>> = {
  raw: runRawLoop,
  agent: runAgent,
  reference: runMossReference,
  'chat-session': runChatSession,
}

/** Progress lines go to stderr so that `--json` stdout stays one object. */
export type BenchLog = (line: string) => void

async function benchModel(options: BenchOptions, name: string, plugins: readonly Plugin[], log: BenchLog): Promise<ModelReport | undefined> {
  const model = await resolveBenchModel(name)
  if (model === undefined) return undefined
  const llama = await getSharedLlama(options.gpu)
  const backend = await createLlamaCppBackend({ model: model.path, threads: options.threads, gpu: options.gpu, contextSize: CONTEXT_SIZE, maxSessions: 1 })
  try {
    const script = dialogueScript(options.turns)
    const env: BenchEnv = {
      llama,
      backend,
      model: llamaCppHandles(backend).model,
      plugins,
      format: forcedMossFormat(script, options.answerChars),
      script,
      sampling: benchSampling(options.seed),
      answerChars: options.answerChars,
      threads: options.threads,
      gpu: options.gpu,
      contextSize: CONTEXT_SIZE,
      grammars: new GrammarCache(llama, llamaCppHandles(backend).model),
    }
    await warmUp(env)
    const runs = new Map<ContenderName, DialogueResult[]>()
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      // The order rotates between repeats so that no contender always runs first (or right after another).
      const order = options.contenders.map((_, k) => options.contenders[(k + repeat) % options.contenders.length] as ContenderName)
      for (const contender of order) {
        log(`[${model.name}] ${contender}: ${options.turns} turns${options.repeats > 1 ? ` (repeat ${repeat + 1}/${options.repeats})` : ''}`)
        const result = await RUNNERS[contender](env)
        runs.set(contender, [...(runs.get(contender) ?? []), result])
      }
    }
    const results = options.contenders.map((c) => medianRun(runs.get(c) ?? []))
    log(`[${model.name}] micro`)
    const micro = options.contenders.includes('agent') ? await measureMicro(env, options.microTokens) : undefined
    log(`[${model.name}] concurrency ${options.concurrency.join(',')}`)
    const concurrency = await measureConcurrency(env, model.path, options.concurrency, options.concurrencyTokens, options.concurrencyRounds)
    const engineBatch = options.concurrency.length > 0 ? await measureEngineBatch(env, options.concurrency, CONCURRENCY_CONTEXT) : undefined
    if (options.mixedPromptTokens > 0) log(`[${model.name}] mixed load (${options.mixedPromptTokens}-token prompt beside 2 generating sessions)`)
    const mixed =
      options.mixedPromptTokens > 0 ? await measureMixedLoad(env, model.path, options.mixedPromptTokens) : undefined
    const summaries = results.map(summarize)
    return {
      name: model.name,
      path: model.path,
      params: model.params,
      fileBytes: (await stat(model.path)).size,
      description: backend.description,
      summaries,
      ttftByTurn: Object.fromEntries(results.map((r) => [r.contender, r.turns.map((t) => Math.round(t.ttftMs * 10) / 10)])),
      resumeEvaluated: Object.fromEntries(results.map((r) => [r.contender, r.resumes.map((x) => x.evaluated)])),
      micro,
      concurrency,
      engineBatch,
      mixed,
      ratios: computeRatios(summaries, concurrency, micro, mixed),
      e2eRepeatsMs: Object.fromEntries([...runs].map(([c, list]) => [c, list.map((r) => Math.round(r.e2eMs))])),
      peakRssMiB: peakRssMiB(),
    }
  } finally {
    await backend.dispose()
  }
}

/** Runs the bench. */
export async function runBench(options: BenchOptions, log: BenchLog = () => {}): Promise<BenchReport> {
  // The device first: a GPU build that does not load fails here, with its reason, before anything is measured.
  const device = deviceName((await getSharedLlama(options.gpu)).gpu)
  const plugins: Plugin[] = [calculator(), equationSolver()]
  try {
    log(`plugin latency (${options.pluginCalls} calls each)`)
    const pluginLatency = options.pluginCalls > 0 ? await measurePluginLatency(plugins, options.pluginCalls) : []
    const models: ModelReport[] = []
    const skippedModels: string[] = []
    for (const name of options.models) {
      const report = await benchModel(options, name, plugins, log)
      if (report) models.push(report)
      else {
        skippedModels.push(name)
        log(`[${name}] skipped: models/tiny-moss.gguf does not exist yet`)
      }
    }
    const primary = models.at(-1)
    if (options.grammarTokens > 0) log(`grammar cost on the 151k vocabulary (${options.grammarTokens} tokens, ${options.grammarRounds} rounds)`)
    const grammarCost =
      options.grammarTokens > 0
        ? await measureGrammarCost({ tokens: options.grammarTokens, rounds: options.grammarRounds, threads: options.threads, sampling: benchSampling(options.seed), gpu: options.gpu })
        : undefined
    if (runsSameFormat(options)) log(`same-format dialogue: qwen format on the Qwen3-vocabulary model (${options.turns} turns)`)
    const sameFormat = runsSameFormat(options) ? await measureSameFormat(options, plugins, log) : undefined
    return {
      machine: machineInfo(),
      threads: options.threads,
      turns: options.turns,
      answerChars: options.answerChars,
      seed: options.seed,
      device,
      contenders: options.contenders,
      skippedModels,
      models,
      model: primary?.name,
      pluginLatency,
      peakRssMiB: peakRssMiB(),
      grammarCost,
      sameFormat,
      ratios: {
        ...(primary?.ratios ?? computeRatios([], [])),
        grammar_cost_151k: grammarCost?.pairedRatio ?? null,
        e2e_vs_chat_session_same_format: sameFormat?.ratio ?? null,
      },
    }
  } finally {
    await disposePlugins(plugins)
  }
}

/**
 * Disposes the plugins. The isolation pool's idle children are unref'd, so their exit does not keep the event loop
 * alive and `dispose()` could leave the process with nothing to wait on (it then exits before printing): a timer
 * holds the loop open, and a stuck dispose is given up after 5 s.
 */
async function disposePlugins(plugins: readonly Plugin[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))
  try {
    await Promise.race([Promise.all(plugins.map((p) => p.dispose?.())), deadline])
  } finally {
    clearTimeout(timer)
  }
}
