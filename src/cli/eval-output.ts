/**
 * What `moss eval` prints: a side-by-side table (one column per run: model, format, grammar), the failures of each
 * run (question, expected, what the model wrote), or one JSON document with `--json`.
 */
import type { RunSummary } from '../eval/summary.js'
import type { CaseResult } from '../eval/types.js'

const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)}%`)

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

/**
 * The table: a row per category and `all`; each cell `accuracy (correct/cases)`, then rows of valid-call rate,
 * tokens per second and seconds per case for `all`.
 */
export function formatTable(summaries: readonly RunSummary[]): string {
  const categories = [...new Set(summaries.flatMap((s) => s.categories.map((c) => c.category)))]
  const rows: string[][] = [['category', ...summaries.map((s) => s.run)]]
  for (const category of [...categories, 'all']) {
    rows.push([
      category,
      ...summaries.map((s) => {
        const f = category === 'all' ? s.overall : s.categories.find((c) => c.category === category)
        return f === undefined ? '–' : `${pct(f.accuracy)} (${f.correct}/${f.cases})`
      }),
    ])
  }
  rows.push(['valid calls', ...summaries.map((s) => pct(s.overall.validCallRate))])
  rows.push(['turns with calls', ...summaries.map((s) => pct(s.overall.callRate))])
  rows.push(['tokens/s', ...summaries.map((s) => s.overall.tokensPerSecond.toFixed(1))])
  rows.push(['s/case', ...summaries.map((s) => (s.overall.msPerCase / 1000).toFixed(2))])
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((cell, i) => pad(cell, widths[i] ?? 0)).join('  ').trimEnd()).join('\n')
}

/** Up to `max` failures of each run, one block each. */
export function formatFailures(results: readonly CaseResult[], max = 10): string {
  const lines: string[] = []
  for (const run of [...new Set(results.map((r) => r.run))]) {
    const failed = results.filter((r) => r.run === run && !r.correct)
    if (failed.length === 0) continue
    lines.push(`failures of ${run} (${failed.length}${failed.length > max ? `, first ${max}` : ''}):`)
    for (const r of failed.slice(0, max)) {
      const wrote = r.calls.length ? r.calls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join('; ') : 'no call'
      lines.push(`  ${r.id}: ${JSON.stringify(r.question.slice(0, 120))}`)
      lines.push(`    expected ${JSON.stringify(r.expected)}`)
      lines.push(`    wrote    ${wrote}${r.error ? ` [${r.error}]` : ''}`)
      if (r.detail) lines.push(`    why      ${r.detail}`)
    }
  }
  return lines.join('\n')
}
