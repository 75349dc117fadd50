/**
 * The `--report FILE.html` page: self-contained (inline CSS and SVG, no script, no external asset), with the
 * side-by-side table, one bar chart per category (one bar per run) and the failures of every run (question,
 * expected calls, what the model wrote).
 */
import type { RunSummary } from './summary.js'
import type { CaseResult } from './types.js'

const COLOURS = ['#3b6fd4', '#d4823b', '#3ba55c', '#b03bd4', '#d43b5a', '#3bb7d4']

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)}%`)

function table(summaries: readonly RunSummary[], categories: readonly string[]): string {
  const head = `<tr><th>category</th>${summaries.map((s) => `<th>${escapeHtml(s.run)}</th>`).join('')}</tr>`
  const rows = [...categories, 'all'].map((category) => {
    const cells = summaries.map((s) => {
      const f = category === 'all' ? s.overall : s.categories.find((c) => c.category === category)
      if (f === undefined) return '<td>–</td>'
      return `<td><b>${pct(f.accuracy)}</b> <small>(${f.correct}/${f.cases}; valid calls ${pct(f.validCallRate)}; ${f.tokensPerSecond.toFixed(1)} tok/s; ${(f.msPerCase / 1000).toFixed(2)} s/case)</small></td>`
    })
    return `<tr><th>${escapeHtml(category)}</th>${cells.join('')}</tr>`
  })
  return `<table>${head}${rows.join('')}</table>`
}

function chart(category: string, summaries: readonly RunSummary[]): string {
  const barH = 22
  const labelW = 260
  const width = 640
  const height = summaries.length * (barH + 8) + 30
  const bars = summaries.map((s, i) => {
    const f = category === 'all' ? s.overall : s.categories.find((c) => c.category === category)
    const accuracy = f?.accuracy ?? 0
    const y = 20 + i * (barH + 8)
    const w = Math.max(0, (width - labelW - 70) * accuracy)
    return (
      `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(s.run)}</text>` +
      `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLOURS[i % COLOURS.length]}"/>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${f ? pct(accuracy) : '–'}</text>`
    )
  })
  return (
    `<figure><figcaption>${escapeHtml(category)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="accuracy, ${escapeHtml(category)}">` +
    `<line x1="${labelW}" y1="14" x2="${labelW}" y2="${height - 4}" stroke="#888"/>${bars.join('')}</svg></figure>`
  )
}

function failures(results: readonly CaseResult[]): string {
  const failed = results.filter((r) => !r.correct)
  if (failed.length === 0) return '<p>No failures.</p>'
  const rows = failed.map(
    (r) =>
      `<tr><td>${escapeHtml(r.run)}</td><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.question)}</td>` +
      `<td><code>${escapeHtml(JSON.stringify(r.expected))}</code></td>` +
      `<td><code>${escapeHtml(r.calls.length ? r.calls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join('; ') : 'no call')}</code>` +
      `${r.answer ? `<br>${escapeHtml(r.answer.slice(0, 200))}` : ''}</td>` +
      `<td>${escapeHtml(r.detail ?? '')}${r.error ? `<br>${escapeHtml(r.error)}` : ''}</td></tr>`,
  )
  return `<table class="failures"><tr><th>run</th><th>case</th><th>question</th><th>expected</th><th>model wrote</th><th>why</th></tr>${rows.join('')}</table>`
}

/** The whole page. `title` names the suite; `results` are every run's case results (failures are listed). */
export function renderReport(title: string, summaries: readonly RunSummary[], results: readonly CaseResult[]): string {
  const categories = [...new Set(summaries.flatMap((s) => s.categories.map((c) => c.category)))]
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>moss eval: ${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}small{color:#555}figure{display:inline-block;margin:8px 16px 8px 0}figcaption{font-weight:bold}
svg text{font:12px system-ui,sans-serif}.failures td{max-width:360px;word-break:break-word}code{font-size:12px}
</style></head><body>
<h1>moss eval: ${escapeHtml(title)}</h1>
<h2>Accuracy by category</h2>
${table(summaries, categories)}
<h2>Charts</h2>
${[...categories, 'all'].map((c) => chart(c, summaries)).join('\n')}
<h2>Failures (${results.filter((r) => !r.correct).length})</h2>
${failures(results)}
</body></html>
`
}
