/**
 * The independent evaluations of the tiny model, each printed as a markdown table: the hand-written builtin set
 * (evals/builtin), MOSS's SFT first turns (../shared/moss-sft, evaluation only), the README/examples questions
 * (5 sampled runs each) and tool-error honesty.
 */
import { readFileSync } from 'node:fs'
import { ERROR_CASES, README_EXAMPLES } from './extras.js'
import type { EvalRun } from './run.js'
import { hasNumber, pct, sameValues, saysToolFailed, scoreBuiltin, type BuiltinCase } from './scoring.js'
import { loadSftFirstTurns } from './sft.js'

const ALL = ['Search', 'Calculate', 'Solve', 'Text2Image']

type Log = (line: string) => void

/** Reads evals/builtin/cases.jsonl. */
export function loadBuiltin(path: string): BuiltinCase[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BuiltinCase)
}

/** Summary figures of one set, for the model card. */
export type Figures = Record<string, number | string>

/** The builtin set: right plugin, right outcome, no-call rate. */
export async function runBuiltin(run: EvalRun, cases: readonly BuiltinCase[], label: string, log: Log, verbose: boolean): Promise<Figures> {
  const scored: { c: BuiltinCase; rightPlugin: boolean; rightOutcome: boolean }[] = []
  for (const c of cases) {
    const enabled = ALL.filter((cmd) => !(c.disabled ?? []).includes(cmd))
    const o = await run.ask(c.question, enabled)
    const s = scoreBuiltin(c, o)
    scored.push({ c, ...s })
    if (verbose && !s.rightOutcome) log(JSON.stringify({ id: c.id, q: c.question, calls: o.calls, answer: o.answer.slice(0, 160) }))
  }
  log(`\n### builtin set, ${label} (${cases.length} hand-written questions, evals/builtin)`)
  log('| category | n | right plugin % | right outcome % |')
  log('|---|---|---|---|')
  const row = (name: string, s: typeof scored): void => log(`| ${name} | ${s.length} | ${pct(s.filter((x) => x.rightPlugin).length, s.length)} | ${pct(s.filter((x) => x.rightOutcome).length, s.length)} |`)
  for (const cat of [...new Set(cases.map((c) => c.category))]) {
    for (const lang of ['en', 'zh']) row(`${cat} (${lang})`, scored.filter((x) => x.c.category === cat && x.c.lang === lang))
  }
  row('all', scored)
  const noCall = scored.filter((x) => x.c.category === 'chitchat' || x.c.category === 'mentions-tool')
  const disabled = scored.filter((x) => (x.c.disabled ?? []).length > 0)
  log(`\nno call on chit-chat and tool mentions: ${pct(noCall.filter((x) => x.rightPlugin).length, noCall.length)}% of ${noCall.length}; ` +
    `disabled-plugin requests refused: ${pct(disabled.filter((x) => x.rightPlugin).length, disabled.length)}% of ${disabled.length}`)
  return {
    rightPlugin: Number(pct(scored.filter((x) => x.rightPlugin).length, scored.length)),
    rightOutcome: Number(pct(scored.filter((x) => x.rightOutcome).length, scored.length)),
    noCall: Number(pct(noCall.filter((x) => x.rightPlugin).length, noCall.length)),
  }
}

/** MOSS SFT first turns: routing, and Calculate/Solve values against MOSS's own results. */
export async function runSft(run: EvalRun, root: string, label: string, log: Log, verbose: boolean, limit = Infinity): Promise<Figures | undefined> {
  const items = loadSftFirstTurns(root)
  if (items === undefined) {
    log(`\n### MOSS SFT first turns, ${label}: skipped (${root} is absent; it is not part of the repository)`)
    return undefined
  }
  const scored: { group: string; topic: string; right: boolean; valued?: boolean; valueMatch?: boolean }[] = []
  // Conversations without plugins have every switch off, so the format cannot call anything there: also ask their
  // questions with all four plugins on, where calling nothing is the model's own decision.
  let quietWithPlugins = 0
  let askedWithPlugins = 0
  for (const item of items.slice(0, limit)) {
    if (item.group === 'none') {
      const o = await run.ask(item.human, ALL, { routingOnly: true })
      askedWithPlugins++
      if (o.calls.length === 0) quietWithPlugins++
      else if (verbose) log(JSON.stringify({ id: item.id, pluginsOn: true, calls: o.calls }))
    }
    const o = await run.ask(item.human, item.enabled, { routingOnly: true })
    const first = o.calls[0]?.name ?? null
    const right = item.expected === null ? o.calls.length === 0 : first === item.expected
    const valued = (item.expected === 'Calculate' || item.expected === 'Solve') && item.mossValues.length > 0
    const output = o.results[0]?.ok ? o.results[0].output : ''
    const valueMatch = valued && right && sameValues(output, item.mossValues)
    scored.push({ group: item.group, topic: item.topic, right, ...(valued ? { valued, valueMatch } : {}) })
    if (verbose && !right) log(JSON.stringify({ id: item.id, expected: item.expected, calls: o.calls }))
  }
  log(`\n### MOSS SFT first turns, ${label} (${scored.length} conversations of ../shared/moss-sft, evaluation only)`)
  log('| group | n | right plugin or None % |')
  log('|---|---|---|')
  for (const topic of [...new Set(scored.map((s) => `${s.group}/${s.topic}`))]) {
    const s = scored.filter((x) => `${x.group}/${x.topic}` === topic)
    log(`| ${topic} | ${s.length} | ${pct(s.filter((x) => x.right).length, s.length)} |`)
  }
  const plugins = scored.filter((s) => s.group === 'plugins')
  const none = scored.filter((s) => s.group === 'none')
  const valued = scored.filter((s) => s.valued)
  log(`| **with plugins** | ${plugins.length} | ${pct(plugins.filter((x) => x.right).length, plugins.length)} |`)
  log(`| **without plugins (None)** | ${none.length} | ${pct(none.filter((x) => x.right).length, none.length)} |`)
  log(`| without plugins, asked with all four plugins on (no call) | ${askedWithPlugins} | ${pct(quietWithPlugins, askedWithPlugins)} |`)
  log(`\nCalculate/Solve argument evaluates to MOSS's value: ${pct(valued.filter((x) => x.valueMatch).length, valued.length)}% of ${valued.length}`)
  return {
    noCallWithPlugins: Number(pct(quietWithPlugins, askedWithPlugins)),
    routingPlugins: Number(pct(plugins.filter((x) => x.right).length, plugins.length)),
    routingNone: Number(pct(none.filter((x) => x.right).length, none.length)),
    valueMatch: Number(pct(valued.filter((x) => x.valueMatch).length, valued.length)),
  }
}

/** README and examples/ questions, `runs` times each (default sampling). */
export async function runReadme(run: EvalRun, runs: number, label: string, log: Log, verbose: boolean): Promise<Figures> {
  log(`\n### README and examples questions, ${label} (${runs} runs each)`)
  log('| where | question | right |')
  log('|---|---|---|')
  let all = 0
  for (const ex of README_EXAMPLES) {
    let right = 0
    for (let i = 0; i < runs; i++) {
      const o = await run.ask(ex.question, ex.enabled)
      const ok = o.calls[0]?.name === ex.plugin && (ex.values ?? []).every((v) => hasNumber(o.answer, v))
      if (ok) right++
      if (verbose && !ok) log(JSON.stringify({ q: ex.question, calls: o.calls, answer: o.answer.slice(0, 160) }))
    }
    if (right === runs) all++
    log(`| ${ex.where} | \`${ex.question}\` | ${right}/${runs} |`)
  }
  log(`\nall runs right: ${all} of ${README_EXAMPLES.length} questions`)
  return { allRight: all, questions: README_EXAMPLES.length }
}

/** Tool errors: the question's plugin fails; the answer must say that it failed. */
export async function runErrors(run: EvalRun, label: string, log: Log, verbose: boolean): Promise<Figures> {
  let called = 0
  let honest = 0
  for (const c of ERROR_CASES) {
    const o = await run.ask(c.question, ALL, { fail: c.command })
    const failed = o.results.some((r) => !r.ok && r.name === c.command)
    if (!failed) continue
    called++
    const ok = saysToolFailed(o.answer, c.command)
    if (ok) honest++
    if (verbose && !ok) log(JSON.stringify({ q: c.question, answer: o.answer.slice(0, 160) }))
  }
  log(`\n### after a tool error, ${label}: the answer says the tool failed in ${pct(honest, called)}% of ${called} failed calls ` +
    `(${ERROR_CASES.length} questions; ${ERROR_CASES.length - called} did not call the failing plugin)`)
  return { honest: Number(pct(honest, called)), failedCalls: called }
}
