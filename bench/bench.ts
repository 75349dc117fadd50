/**
 * Runs the whole bench for the given options and returns one report object (what `--json` prints).
 */
import { stat } from 'node:fs/promises'
import { calculator } from '../plugins/calculator/index.js'
import { equationSolver } from '../plugins/equation-solver/index.js'
import { createLlamaCppBackend } from '../src/backends/llama-cpp/index.js'
import { getSharedLlama } from '../src/backends/llama-cpp/llama-instance.js'
import type { Plugin } from '../src/plugins/types.js'
import type { BenchEnv } from './bench-env.js'
import { forcedMossFormat } from './bench-env.js'
import { measureConcurrency } from './concurrency.js'
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
import type { MicroResult } from './micro.js'
import { resolveBenchModel } from './models.js'
import type { BenchOptions, ContenderName } from './options.js'
import { measurePluginLatency } from './plugin-latency.js'
import type { PluginLatency } from './plugin-latency.js'
import { GrammarCache } from './raw-generate.js'
import { computeRatios } from './ratios.js'
import type { Ratios } from './ratios.js'

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
  readonly micro: MicroResult | undefined
  readonly concurrency: readonly ConcurrencySample[]
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
  readonly contenders: readonly ContenderName[]
  readonly skippedModels: readonly string[]
  readonly models: readonly ModelReport[]
  /** The model whose ratios are `ratios` (the last one measured: the largest in the default list). */
  readonly model: string | undefined
  readonly pluginLatency: readonly PluginLatency[]
  readonly peakRssMiB: number
  readonly ratios: Ratios
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
  const llama = await getSharedLlama(false)
  const backend = await createLlamaCppBackend({ model: model.path, threads: options.threads, gpu: false, contextSize: CONTEXT_SIZE, maxSessions: 1 })
  try {
    const script = dialogueScript(options.turns)
    const env: BenchEnv = {
      llama,
      backend,
      model: backend.model,
      plugins,
      format: forcedMossFormat(script, options.answerChars),
      script,
      sampling: benchSampling(options.seed),
      answerChars: options.answerChars,
      threads: options.threads,
      contextSize: CONTEXT_SIZE,
      grammars: new GrammarCache(llama, backend.model),
    }
    const results: DialogueResult[] = []
    for (const contender of options.contenders) {
      log(`[${model.name}] ${contender}: ${options.turns} turns`)
      results.push(await RUNNERS[contender](env))
    }
    log(`[${model.name}] micro`)
    const micro = options.contenders.includes('agent') ? await measureMicro(env) : undefined
    log(`[${model.name}] concurrency ${options.concurrency.join(',')}`)
    const concurrency = await measureConcurrency(env, model.path, options.concurrency, options.concurrencyTokens)
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
      ratios: computeRatios(summaries, concurrency),
      peakRssMiB: peakRssMiB(),
    }
  } finally {
    await backend.dispose()
  }
}

/** Runs the bench. */
export async function runBench(options: BenchOptions, log: BenchLog = () => {}): Promise<BenchReport> {
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
    return {
      machine: machineInfo(),
      threads: options.threads,
      turns: options.turns,
      answerChars: options.answerChars,
      seed: options.seed,
      contenders: options.contenders,
      skippedModels,
      models,
      model: primary?.name,
      pluginLatency,
      peakRssMiB: peakRssMiB(),
      ratios: primary?.ratios ?? computeRatios([], []),
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
