/**
 * The readable table of a bench report.
 */
import type { BenchReport, ModelReport } from './bench.js'
import type { BatchProfile } from './batch-probe.js'
import { grammarCostLines } from './grammar-cost.js'
import type { DialogueSummary } from './metrics.js'
import { RATIO_GOALS, RATIO_KEYS } from './ratios.js'
import { SAME_FORMAT_GOAL } from './same-format.js'
import type { SameFormatResult } from './same-format.js'

const LETTER: Readonly<Record<string, string>> = { raw: '(a) raw evaluate', agent: '(b) moss-agent', reference: '(c) MOSS reference', 'chat-session': '(d) LlamaChatSession' }

function num(value: number | undefined | null, digits = 0): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits)
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)]
}

function contenderTable(summaries: readonly DialogueSummary[], turns: number, letters: Readonly<Record<string, string>> = LETTER): string[] {
  return table(
    ['contender', 'gen tok/s', 'prompt tok/s', 'TTFT t1 ms', `TTFT t${turns} ms`, 'e2e s', 'prompt s', 'decode s', 'evaluated', 'generated', 'resume eval/app', 'tool calls'],
    summaries.map((s) => [
      letters[s.contender] ?? s.contender,
      num(s.generationTokensPerSecond),
      num(s.promptTokensPerSecond),
      num(s.ttftTurn1Ms, 1),
      num(s.ttftLastTurnMs, 1),
      num(s.e2eMs / 1000, 2),
      num(s.promptMs / 1000, 2),
      num(s.decodeMs / 1000, 2),
      String(s.evaluatedTotal),
      String(s.generatedTotal),
      `${s.resumeEvaluated}/${s.resumeAppended ?? '?'}`,
      String(s.toolCalls),
    ]),
  )
}

/** The same-format comparison: both contenders speak Qwen's ChatML with `<tool_call>` blocks. */
function sameFormatSection(result: SameFormatResult, turns: number): string[] {
  const letters = { agent: '(b) moss-agent, qwen format', 'chat-session': '(d) LlamaChatSession, QwenChatWrapper' }
  const repeats = Object.entries(result.e2eRepeatsMs).filter(([, list]) => list.length > 1)
  const value = result.ratio
  return [
    `## like for like — qwen format on ${result.model} (Qwen3's 151,936-token vocabulary, ${(result.fileBytes / 2 ** 20).toFixed(1)} MiB)`,
    '',
    ...contenderTable(result.summaries, turns, letters),
    '',
    `turns with a call / without (ms): ${Object.entries(result.turnsMs).map(([c, t]) => `${c} ${num(t.withCall)} / ${num(t.withoutCall)}`).join(', ')}`,
    ...(repeats.length > 0 ? ['', `e2e of every repeat (s): ${repeats.map(([c, list]) => `${c} ${list.map((ms) => num(ms / 1000, 1)).join('/')}`).join(', ')}`] : []),
    '',
    `${SAME_FORMAT_GOAL.key} ${num(value, 3)} (goal ${SAME_FORMAT_GOAL.goal}: ${value === null ? 'n/a' : SAME_FORMAT_GOAL.met(value) ? 'met' : 'MISSED'}); e2e_vs_chat_session above is the MOSS protocol's cost`,
    '',
  ]
}

function modelSection(model: ModelReport, turns: number): string[] {
  const out = [`## ${model.name} — ${model.params} params, ${(model.fileBytes / 2 ** 20).toFixed(1)} MiB — ${model.description}`, '']
  out.push(...contenderTable(model.summaries, turns))
  if (model.micro) {
    const m = model.micro
    out.push(
      '',
      `decoding, ${m.tokens} sampled tokens, ${m.rounds} interleaved rounds after a warm-up: raw ${num(m.rawTokensPerSecond)} tok/s, backend generate ${num(m.backendTokensPerSecond)} tok/s (medians); paired ratio median ${num(m.pairedRatio, 3)}, rounds ${m.roundRatios.map((r) => num(r, 2)).join(' ')}`,
      `tool resume: ${m.resumeEvaluated} tokens evaluated (block ${m.resumeBlockTokens} + held token) in ${num(m.resumeMs, 1)} ms; from scratch ${m.naiveEvaluated} tokens in ${num(m.naiveMs, 1)} ms`,
    )
  }
  if (model.concurrency.length > 0) {
    out.push(
      '',
      ...table(
        ['sessions', 'decodes', 'tok/decode', 'aggregate tok/s', 'per-session tok/s', 'bare decodes', 'bare tok/decode', 'bare aggregate', 'bare per-seq'],
        model.concurrency.map((c) => [
          String(c.sessions),
          String(c.profile?.decodes ?? '–'),
          num(c.tokensPerDecode, 2),
          num(c.tokensPerSecond),
          num(c.perSessionTokensPerSecond),
          String(c.rawProfile?.decodes ?? '–'),
          num(c.rawTokensPerDecode, 2),
          num(c.rawTokensPerSecond),
          num(c.rawPerSessionTokensPerSecond),
        ]),
      ),
      '',
      `aggregate tok/s, backend: ${model.concurrency.map((c) => `${c.sessions} session(s) ${num(c.tokensPerSecond)}`).join(', ')}`,
      `aggregate tok/s, bare node-llama-cpp sequences: ${model.concurrency.map((c) => `${c.sessions} seq ${num(c.rawTokensPerSecond)}`).join(', ')}`,
      `backend/bare by interleaved round (median): ${model.concurrency.map((c) => `${c.sessions}: ${c.roundRatios.map((r) => num(r, 2)).join(' ')} (${num(c.pairedRatio, 2)})`).join('; ')}`,
      `backend N sessions / 1 session in the same round (median): ${model.concurrency.filter((c) => c.vsOneRatios.length > 0).map((c) => `${c.sessions}: ${c.vsOneRatios.map((r) => num(r, 2)).join(' ')} (${num(c.pairedVsOne ?? 0, 2)})`).join('; ')}`,
      ...model.concurrency.flatMap((c) => [profileLine(`backend ${c.sessions}`, c.ms, c.profile), profileLine(`raw     ${c.sessions}`, c.rawMs, c.rawProfile)].filter((l) => l !== '')),
    )
  }
  if (model.engineBatch) {
    const e = model.engineBatch
    const one = e.oneSequenceMs[0] ?? 0
    out.push(
      `engine: ms per native decode of k tokens, bare node-llama-cpp (k: one sequence / k sequences, × the 1-token decode): ${e.tokens
        .map((k, i) => `${k}: ${num(e.oneSequenceMs[i], 1)} / ${num(e.spreadMs[i], 1)} (${num(one > 0 ? (e.spreadMs[i] ?? 0) / one : undefined, 2)}×)`)
        .join(', ')}`,
    )
  }
  if (model.mixed) {
    const m = model.mixed
    out.push(
      '',
      `mixed load: a ${m.promptTokens}-token prompt took ${num(m.promptMs)} ms to its first token while 2 sessions generated; their token gaps meanwhile: ` +
        m.generating.map((g, i) => `#${i + 1} ${g.gaps} gaps, p50 ${num(g.p50Ms, 1)} ms, p99 ${num(g.p99Ms, 1)} ms, max ${num(g.maxMs, 1)} ms`).join('; '),
    )
  }
  const repeats = Object.entries(model.e2eRepeatsMs).filter(([, list]) => (list?.length ?? 0) > 1)
  if (repeats.length > 0) out.push('', `e2e of every repeat (s): ${repeats.map(([c, list]) => `${c} ${(list ?? []).map((ms) => num(ms / 1000, 1)).join('/')}`).join(', ')}`)
  const e2e = (c: string): number | undefined => model.summaries.find((x) => x.contender === c)?.e2eMs
  const floor = (c: string): string => {
    const raw = e2e('raw')
    const other = e2e(c)
    return raw !== undefined && other !== undefined ? num(raw / other, 3) : '–'
  }
  if (e2e('raw') !== undefined) out.push('', `engine floor (raw loop (a) in place of (b)): e2e (a)/(c) ${floor('reference')}, e2e (a)/(d) ${floor('chat-session')}`)
  out.push('', ...ratioLines(model), '')
  return out
}

function profileLine(label: string, wallMs: number | undefined, p: BatchProfile | undefined): string {
  if (p === undefined) return ''
  const wall = wallMs === undefined ? '' : `wall ${num(wallMs)} ms, `
  return `  ${label}: ${wall}${p.decodes} decodes ${num(p.decodeMs)} ms (${num(p.decodes > 0 ? p.batchTokens / p.decodes : 0, 2)} tok/batch, ${num(p.decodes > 0 ? p.decodeMs / p.decodes : 0, 2)} ms each), ${p.samples} samplings ${num(p.sampleMs)} ms`
}

function ratioLines(model: ModelReport): string[] {
  return table(
    ['ratio', 'value', 'goal', 'status'],
    RATIO_KEYS.map((key) => {
      const value = model.ratios[key]
      const goal = RATIO_GOALS[key]
      return [key, num(value, 3), goal.goal, value === null ? 'n/a' : goal.met(value) ? 'met' : 'MISSED']
    }),
  )
}

/** Renders the report as text. */
export function renderReport(report: BenchReport): string {
  const m = report.machine
  const out = [
    `# moss-agent bench — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, node-llama-cpp ${m.nodeLlamaCpp}`,
    `device ${report.device}, threads ${report.threads}, ${report.turns} turns, answers of ${report.answerChars} characters, seed ${report.seed}`,
    '',
  ]
  if (report.skippedModels.length > 0) out.push(`skipped: ${report.skippedModels.join(', ')} (not present)`, '')
  for (const model of report.models) out.push(...modelSection(model, report.turns))
  if (report.sameFormat) out.push(...sameFormatSection(report.sameFormat, report.turns))
  if (report.grammarCost) out.push(...grammarCostLines(report.grammarCost))
  if (report.pluginLatency.length > 0) {
    out.push(
      ...table(
        ['plugin', 'calls', 'cold ms', 'p50 ms', 'p99 ms'],
        report.pluginLatency.map((p) => [p.plugin, String(p.calls), num(p.coldMs, 1), num(p.p50Ms, 2), num(p.p99Ms, 2)]),
      ),
      '',
    )
  }
  out.push(`peak RSS ${num(report.peakRssMiB)} MiB`)
  return `${out.join('\n')}\n`
}
