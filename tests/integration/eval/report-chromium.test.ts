/**
 * The `--report` page opened in Debian's Chromium through playwright-core: it renders the side-by-side table, one
 * inline-SVG bar chart per category with one bar per run, and the failures, without requesting anything but the page
 * itself (self-contained). A screenshot lands in .scratch/ for a person to look at. The page comes from a real run
 * of the CLI on the bundled model (two grammar settings, BFCL-format fixture) plus a hand-made run that exercises
 * the bars' scale and hostile text.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { renderReport } from '../../../src/eval/report-html.js'
import { summarize } from '../../../src/eval/summary.js'
import type { CaseResult } from '../../../src/eval/types.js'
import { ROOT, runCli } from '../cli/run-cli.js'

const CHROMIUM = '/usr/bin/chromium'
const SCRATCH = join(ROOT, '.scratch')

function made(run: string, id: string, category: string, correct: boolean): CaseResult {
  return {
    run, id, category, correct, validCalls: true, called: true, question: `<script>alert(1)</script> 请计算 ${id}`,
    expected: [{ 'kitchen.boil_water': { litres: [1.5] } }], calls: [{ name: 'kitchen.boil_water', arguments: { litres: 2 }, input: '{"litres":2}' }],
    answer: '', generated: 10, ms: 500, ...(correct ? {} : { detail: 'Invalid value for "litres"' }),
  }
}

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in Chromium (skipped without /usr/bin/chromium: apt-get install chromium)', () => {
  it('shows the table, a chart per category with a bar per run, and the failures; loads nothing else', async () => {
    mkdirSync(SCRATCH, { recursive: true })
    const cliReport = join(SCRATCH, 'eval-report-cli.html')
    const run = await runCli(['eval', '--suite', 'bfcl:tests/fixtures/bfcl', '--limit', '1', '--grammar', 'both', '--threads', '1', '--report', cliReport])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`report: ${cliReport}`)

    // A second page whose figures are known: run A right on 3 of 4 cases of one category, run B on 1 of 4.
    const results = [
      ...['a1', 'a2', 'a3', 'a4'].map((id, i) => made('model A', id, 'simple_python', i < 3)),
      ...['a1', 'a2', 'a3', 'a4'].map((id, i) => made('model B', id, 'simple_python', i < 1)),
    ]
    const madeReport = join(SCRATCH, 'eval-report-made.html')
    writeFileSync(madeReport, renderReport('made', ['model A', 'model B'].map((r) => summarize(r, results)), results))

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
      const requests: string[] = []
      page.on('request', (request) => void requests.push(request.url()))
      const alerts: string[] = []
      page.on('dialog', (dialog) => void (alerts.push(dialog.message()), dialog.dismiss()))

      await page.goto(`file://${cliReport}`)
      expect(await page.locator('h1').textContent()).toBe('moss eval: bfcl:tests/fixtures/bfcl')
      const header = await page.locator('table').first().locator('tr').first().locator('th').allTextContents()
      expect(header).toEqual(['category', 'bundled tiny-moss · moss · grammar on', 'bundled tiny-moss · moss · grammar off'])
      expect(await page.locator('figure figcaption').allTextContents()).toEqual(['simple_python', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance', 'all'])
      expect(await page.locator('figure svg').first().locator('rect').count()).toBe(2)
      await page.screenshot({ path: join(SCRATCH, 'eval-report-cli.png'), fullPage: true })

      await page.goto(`file://${madeReport}`)
      const widths = await page.locator('figure').first().locator('rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))))
      expect(widths[0]! / widths[1]!).toBeCloseTo(3, 5)
      const failures = await page.locator('table.failures tr').count()
      expect(failures).toBe(1 + 1 + 3)
      expect(await page.locator('table.failures').textContent()).toContain('<script>alert(1)</script> 请计算 a2')
      await page.screenshot({ path: join(SCRATCH, 'eval-report-made.png'), fullPage: true })

      expect(alerts).toEqual([])
      expect(requests.every((url) => url.startsWith('file://'))).toBe(true)
      expect(requests).toHaveLength(2)
    } finally {
      await browser.close()
    }
  }, 300_000)
})
