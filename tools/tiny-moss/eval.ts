/**
 * Evaluates the tiny model through the real agent loop and node-llama-cpp, and prints the tables of models/README.md:
 * - `heldout`: the generator's held-out set (greedy; grammar off and on);
 * - `builtin`: the hand-written questions of evals/builtin (right plugin, right outcome, no-call rate);
 * - `sft`: the first human turn of every MOSS SFT conversation in `--sft` (routing; Calculate/Solve values against
 *   MOSS's results). The folder is not part of the repository (CC BY-NC, evaluation only): absent, the set is skipped;
 * - `readme`: every question of README.md and examples/, `--runs` times with the default sampling;
 * - `errors`: the plugin a question needs fails; does the answer say so?
 * The independent sets (all but `heldout`) run greedy and with the default sampling (`--sampling`), grammar on (the
 * agent's default) unless `--grammar off`. The switch lines are MOSS's own (as `npx moss chat` and MOSS's SFT data have
 * them); only the README set registers examples/custom-plugin's WordStats, as that example does. `--custom-plugin
 * always` registers it (switched off) for every set: how a user's extra plugin line sways the routing.
 *
 *   npm run eval:tiny -- [--model models/tiny-moss.gguf] [--sets heldout,builtin,sft,readme,errors]
 *                        [--data tools/tiny-moss/heldout/test.jsonl] [--limit 600] [--grammar both|on|off]
 *                        [--sampling both|greedy|default] [--sft ../shared/moss-sft] [--runs 5] [--threads 1]
 *                        [--context N --max-tokens N] [--custom-plugin own|always] [--verbose]
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createAgent } from '../../src/agent/index.js'
import type { AgentEvent } from '../../src/agent/types.js'
import { createLlamaCppBackend } from '../../src/backends/llama-cpp/index.js'
import { definePlugin } from '../../src/plugins/define-plugin.js'
import type { Plugin } from '../../src/plugins/types.js'
import { calculator, equationSolver } from '../../plugins/index.js'
import { joinSolution } from './generator/solve.js'
import { createEvalRun, type EvalRun } from './eval/run.js'
import { loadBuiltin, runBuiltin, runErrors, runReadme, runSft } from './eval/sets.js'

/** One held-out item, as build-data writes it. */
export interface TestItem {
  readonly kind: string
  readonly lang: 'en' | 'zh'
  readonly enabled: readonly string[]
  readonly human: string
  readonly calls: readonly { command: string; input: string; synthetic?: string; fact?: string }[]
  readonly results: readonly { ok: boolean; text: string }[]
  readonly disabledCommand?: string
  readonly reference: string
}

/** What one item scored. */
export interface ItemScore {
  readonly kind: string
  readonly lang: string
  readonly valid: boolean
  readonly rightPlugin: boolean
  readonly rightArgument: boolean
  readonly answerHasResult: boolean
  readonly generated: number
  readonly ms: number
}

/** The production format check of a commands span (MOSS backend), or `None`. */
const VALID_COMMANDS = /^(None|\w+\("([\s\S]+?)"\)(, *?\w+\("([\s\S]+?)"\))*)$/

/** Whether the answer repeats what the tool returned. */
export function answerContainsResult(item: TestItem, answer: string, results: readonly string[]): boolean {
  const first = item.calls[0]
  if (!first) return true
  const text = answer.replace(/\s+/g, ' ')
  switch (first.command) {
    case 'Search':
      return first.fact !== undefined && text.includes(first.fact)
    case 'Calculate':
      return results.length > 0 && results.every((r) => text.includes(r))
    case 'Solve':
      return results.length > 0 && results.every((r) => r.split('\n').every((line) => text.replace(/\s/g, '').includes(line.replace(/\s/g, ''))))
    default:
      // Text2Image returns only "Image generated successfully.": the answer should name what was drawn.
      return text.includes(first.input)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      sets: { type: 'string', default: 'heldout,builtin,sft,readme,errors' },
      data: { type: 'string', default: 'tools/tiny-moss/heldout/test.jsonl' },
      limit: { type: 'string', default: '600' },
      grammar: { type: 'string' },
      sampling: { type: 'string', default: 'both' },
      sft: { type: 'string', default: '../shared/moss-sft' },
      builtin: { type: 'string', default: 'evals/builtin/cases.jsonl' },
      runs: { type: 'string', default: '5' },
      context: { type: 'string' },
      'max-tokens': { type: 'string' },
      threads: { type: 'string', default: '1' },
      'custom-plugin': { type: 'string', default: 'own' },
      verbose: { type: 'boolean', default: false },
    },
  })
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'
  const sets = new Set(values.sets.split(','))
  if (sets.has('heldout')) await heldout({ ...values, grammar: values.grammar ?? 'both' })
  const log = (line: string): void => console.log(line)
  const samplings = values.sampling === 'both' ? (['greedy', 'default'] as const) : [values.sampling as 'greedy' | 'default']
  for (const sampling of samplings) {
    if (![...sets].some((s) => s !== 'heldout')) break
    const grammar = (values.grammar ?? 'on') !== 'off'
    const always = values['custom-plugin'] === 'always'
    const open = (customPlugin: boolean): Promise<EvalRun> => createEvalRun({
      ...(values.model !== undefined ? { model: values.model } : {}),
      threads: Number(values.threads),
      grammar,
      sampling,
      customPlugin,
      ...(values.context !== undefined ? { contextSize: Number(values.context) } : {}),
      ...(values['max-tokens'] !== undefined ? { maxTokensPerGeneration: Number(values['max-tokens']) } : {}),
    })
    const label = `${sampling === 'greedy' ? 'greedy' : 'default sampling'}, grammar ${grammar ? 'on' : 'off'}${always ? ', WordStats registered (off)' : ''}`
    const limit = Number(values.limit)
    const run = await open(always)
    try {
      if (sets.has('builtin')) await runBuiltin(run, loadBuiltin(values.builtin).slice(0, limit), label, log, values.verbose)
      if (sets.has('sft')) await runSft(run, values.sft, label, log, values.verbose, limit)
      if (sets.has('errors')) await runErrors(run, label, log, values.verbose)
    } finally {
      await run.dispose()
    }
    if (sets.has('readme') && sampling === 'default') {
      // The custom-plugin example registers WordStats; the other examples do not.
      const withExample = await open(true)
      try {
        await runReadme(withExample, Number(values.runs), label, log, values.verbose)
      } finally {
        await withExample.dispose()
      }
    }
  }
}

/** The generator's held-out set (the original evaluation). */
async function heldout(values: { model?: string; data: string; limit: string; grammar: string; threads: string; verbose: boolean }): Promise<void> {
  if (!existsSync(values.data)) {
    console.log(`\n### held-out set: skipped (${values.data} is absent; build-data writes one)`)
    return
  }
  const items = readFileSync(values.data, 'utf8').trim().split('\n').slice(0, Number(values.limit)).map((l) => JSON.parse(l) as TestItem)
  const modes = values.grammar === 'both' ? [false, true] : [values.grammar === 'on']
  let current: TestItem | undefined
  const searchFake = definePlugin({
    name: 'search',
    command: 'Search',
    description: 'Web search (held-out snippets)',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    label: 'Web search',
    run: () => current?.calls.find((c) => c.command === 'Search')?.synthetic ?? '[]',
  })
  const imageFake = definePlugin({
    name: 'text-to-image',
    command: 'Text2Image',
    description: 'Text to image (no image is drawn during evaluation)',
    parameters: { type: 'object', properties: { description: { type: 'string' } }, required: ['description'] },
    label: 'Text-to-image',
    run: () => 'Image generated successfully.',
  })
  for (const grammar of modes) {
    const backend = await createLlamaCppBackend({
      ...(values.model !== undefined ? { model: values.model } : {}),
      threads: Number(values.threads),
      gpu: false,
      grammar,
      maxSessions: 1,
      sampling: { temperature: 0 },
    })
    const plugins: Plugin[] = [searchFake, calculator(), equationSolver(), imageFake]
    const agent = createAgent({ backend, plugins, formatOptions: { constrainCommands: grammar }, sampling: { temperature: 0 } })
    const scores: ItemScore[] = []
    for (const item of items) {
      current = item
      const session = await agent.createSession()
      for (const p of plugins) await session.setPluginEnabled(p.name, item.enabled.includes(p.command))
      const reply = await session.ask(item.human)
      const record = session.turns[0]
      const events: readonly AgentEvent[] = reply.events
      const calls = events.filter((e): e is Extract<AgentEvent, { type: 'tool-call' }> => e.type === 'tool-call')
      const results = events.filter((e): e is Extract<AgentEvent, { type: 'tool-result' }> => e.type === 'tool-result').map((e) => e.output)
      const finish = events.find((e): e is Extract<AgentEvent, { type: 'turn-finish' }> => e.type === 'turn-finish')
      const commands = (record?.commands ?? '').trim()
      const expected = item.calls
      const rightPlugin = expected.length === 0 ? calls.length === 0 && commands === 'None' : calls.length === expected.length && calls.every((c, i) => c.name === expected[i]!.command)
      const rightArgument = expected.length === 0 ? rightPlugin : rightPlugin && calls.every((c, i) => c.input.trim() === expected[i]!.input.trim())
      scores.push({
        kind: item.kind,
        lang: item.lang,
        valid: VALID_COMMANDS.test(commands),
        rightPlugin,
        rightArgument,
        answerHasResult: answerContainsResult(item, reply.text, results),
        generated: finish?.usage.generated ?? 0,
        // Model time only: the turn minus the time spent in plugins.
        ms: finish ? finish.timings.totalMs - finish.timings.pluginMs : 0,
      })
      if (values.verbose && !(rightArgument && scores[scores.length - 1]!.answerHasResult)) {
        const errors = events.filter((e): e is Extract<AgentEvent, { type: 'error' }> => e.type === 'error').map((e) => e.error.message)
        console.log(JSON.stringify({ kind: item.kind, human: item.human, expected: expected.map((c) => `${c.command}("${c.input}")`), commands, answer: reply.text, ...(errors.length ? { errors } : {}) }))
      }
      await session.dispose()
    }
    await agent.dispose()
    await backend.dispose()
    printTable(scores, grammar)
  }
}

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${Math.round((100 * n) / d)}`
}

/** Prints one markdown table per grammar mode. */
export function printTable(scores: readonly ItemScore[], grammar: boolean): void {
  const kinds = [...new Set(scores.map((s) => s.kind))]
  console.log(`\n### grammar ${grammar ? 'on' : 'off'} (${scores.length} held-out turns, greedy, node-llama-cpp)`)
  console.log('| kind | n | valid commands % | right plugin % | right argument % | answer contains result % |')
  console.log('|---|---|---|---|---|---|')
  const row = (label: string, s: readonly ItemScore[]): void => {
    const tool = s.filter((x) => !['chat', 'disabled'].includes(x.kind))
    console.log(`| ${label} | ${s.length} | ${pct(s.filter((x) => x.valid).length, s.length)} | ${pct(s.filter((x) => x.rightPlugin).length, s.length)} | ${tool.length ? pct(tool.filter((x) => x.rightArgument).length, tool.length) : '–'} | ${tool.length ? pct(tool.filter((x) => x.answerHasResult).length, tool.length) : '–'} |`)
  }
  for (const kind of kinds) {
    row(kind, scores.filter((s) => s.kind === kind))
    for (const lang of ['en', 'zh']) row(`${kind} (${lang})`, scores.filter((s) => s.kind === kind && s.lang === lang))
  }
  row('all', scores)
  const chat = scores.filter((s) => s.kind === 'chat')
  const tokens = scores.reduce((a, s) => a + s.generated, 0)
  const ms = scores.reduce((a, s) => a + s.ms, 0)
  console.log(`\nchit-chat correctly calling nothing: ${pct(chat.filter((s) => s.rightPlugin).length, chat.length)}%`)
  console.log(`tokens/s: ${(tokens / (ms / 1000)).toFixed(0)} (generated tokens over model time per turn, prompt processing included, plugins excluded; 1 thread)`)
}

await main()
void joinSolution
