/**
 * `moss eval`: loads the suite, then for every `--model` (one backend each) and grammar setting runs the suite through
 * the agent, with a progress bar on stderr, each result appended to the `--resume` file as it is made; prints the
 * side-by-side table and failures (or JSON) and writes the HTML report.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ConfigError } from '../errors.js'
import { loadBfclSuite } from '../eval/bfcl-suite.js'
import { detectFormat } from '../formats/detect.js'
import { FORMAT_FACTORIES } from '../formats/get-format.js'
import type { FormatOptions } from '../formats/types.js'
import { loadBuiltinSuite } from '../eval/builtin-suite.js'
import { loadMossSftSuite } from '../eval/moss-sft-suite.js'
import { renderReport } from '../eval/report-html.js'
import { runSuite } from '../eval/run-suite.js'
import { summarize, type RunSummary } from '../eval/summary.js'
import type { CaseResult, EvalSuite } from '../eval/types.js'
import type { Plugin } from '../index.js'
import { packageRoot } from '../util/package-root.js'
import { EVAL_USAGE, parseEvalArgs } from './eval-args.js'
import { evalBudgets, evalModelLabel, openEvalBackend } from './eval-model.js'
import { formatFailures, formatTable } from './eval-output.js'
import { createEvalTools } from './eval-tools.js'
import { createProgressBar } from './progress-bar.js'
import type { CliStreams } from './streams.js'

/** The suite named by `--suite`. */
export function loadSuite(spec: string, tools: readonly Plugin[], limit?: number): EvalSuite {
  if (spec.startsWith('bfcl:')) return loadBfclSuite(spec.slice(5), limit)
  if (spec.startsWith('moss-sft:')) return loadMossSftSuite(spec.slice(9), tools, limit)
  if (spec === 'builtin') return loadBuiltinSuite(join(packageRoot(), 'evals', 'builtin', 'cases.jsonl'), tools, limit)
  if (existsSync(spec)) return { ...loadBuiltinSuite(spec, tools, limit), name: spec }
  throw new ConfigError(`unknown suite "${spec}" (builtin, bfcl:DIR, moss-sft:DIR or a cases file)`)
}

/** Earlier results of a resumed run (lines that do not parse are ignored: a run killed mid-write leaves half a line). */
function readResume(path: string | undefined): CaseResult[] {
  if (path === undefined || !existsSync(path)) return []
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const value = JSON.parse(line) as CaseResult
        return typeof value?.run === 'string' && typeof value.id === 'string' ? [value] : []
      } catch {
        return []
      }
    })
}

/** Runs `moss eval` with the arguments after `eval`. Resolves to the exit code. */
export async function runEval(argv: readonly string[], io: CliStreams): Promise<number> {
  const options = parseEvalArgs(argv, io.env)
  if (options.help) {
    io.stdout.write(EVAL_USAGE)
    return 0
  }
  const tools = createEvalTools()
  try {
    const suite = loadSuite(options.suite, tools.plugins, options.limit)
    const earlier = readResume(options.resume)
    if (options.resume !== undefined) mkdirSync(dirname(options.resume), { recursive: true })
    const all: CaseResult[] = [...earlier]
    const summaries: RunSummary[] = []
    const models = options.models.length > 0 ? options.models : [undefined]
    for (const model of models) {
      const backend = await openEvalBackend(options, model, io.env)
      try {
        const modelLabel = evalModelLabel(options, model, backend)
        // `auto` is resolved once per model, so the run's label names the format the model really ran in.
        const detected = options.format === 'auto' ? detectFormat(backend.modelInfo, Object.keys(FORMAT_FACTORIES)) : undefined
        const format = detected?.format ?? options.format
        const formatOptions: FormatOptions = detected?.options ?? {}
        for (const grammar of options.grammar) {
          const label = `${modelLabel} · ${format} · grammar ${grammar ? 'on' : 'off'}`
          const skip = new Set(earlier.filter((r) => r.run === label).map((r) => r.id))
          const todo = suite.cases.filter((c) => !skip.has(c.id)).length
          const bar = createProgressBar(io.stderr, label)
          let done = 0
          // A failing server stops the run (runSuite throws): the bar's line is ended first, so the error has its own.
          await runSuite(suite, {
            backend,
            format,
            formatOptions,
            grammar,
            run: label,
            skip,
            concurrency: options.concurrency,
            timeoutMs: options.timeoutMs,
            budgets: evalBudgets(options, model),
            onResult: (result) => {
              all.push(result)
              if (options.resume !== undefined) appendFileSync(options.resume, `${JSON.stringify(result)}\n`)
              bar.update(++done / Math.max(1, todo))
            },
          }).finally(() => bar.done())
          const ids = new Set(suite.cases.map((c) => c.id))
          summaries.push(summarize(label, all.filter((r) => ids.has(r.id)), suite.categories))
        }
      } finally {
        await backend.dispose()
      }
    }
    const runs = new Set(summaries.map((s) => s.run))
    const results = all.filter((r) => runs.has(r.run))
    if (options.report !== undefined) {
      mkdirSync(dirname(options.report), { recursive: true })
      writeFileSync(options.report, renderReport(suite.name, summaries, results))
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ suite: suite.name, runs: summaries, results }, null, 2)}\n`)
    } else {
      io.stdout.write(`suite ${suite.name}: ${suite.cases.length} cases\n\n${formatTable(summaries)}\n`)
      const failures = formatFailures(results)
      if (failures !== '') io.stdout.write(`\n${failures}\n`)
      if (options.report !== undefined) io.stdout.write(`\nreport: ${options.report}\n`)
    }
    return 0
  } finally {
    await tools.dispose()
  }
}
