#!/usr/bin/env node
/**
 * `npm run conformance -- <dir>`: checks that the MOSS format reproduces every MOSS SFT sample under `<dir>` byte for
 * byte (parse → structure → render). Prints `conformance: N/M byte-exact`; exits 0 only when every sample passes.
 *
 * `npm run conformance -- --templates <dir>`: plays the fixed conversation set through each native format and renders
 * it with the model's Jinja template from `<dir>`. Prints `templates: N/M byte-exact`; exits 0 only when N = M.
 */
import { runMossConformance } from '../formats/conformance.js'
import { describeError } from '../errors.js'
import { runTemplateConformance } from '../formats/templates/check.js'

const SHOWN_FAILURES = 5

async function templates(dir: string): Promise<number> {
  const { results, missing } = await runTemplateConformance(dir)
  const passed = results.filter((r) => r.ok).length
  process.stdout.write(`templates: ${passed}/${results.length} byte-exact\n`)
  for (const failure of results.filter((r) => !r.ok).slice(0, SHOWN_FAILURES)) {
    process.stderr.write(`  ${failure.file} / ${failure.conversation}: ${failure.detail ?? ''}\n`)
  }
  if (missing.length > 0) process.stderr.write(`  not found in ${dir}: ${missing.join(', ')}\n`)
  return results.length > 0 && passed === results.length ? 0 : 1
}

async function main(): Promise<number> {
  if (process.argv[2] === '--templates') {
    const dir = process.argv[3]
    if (!dir) {
      process.stderr.write('usage: conformance --templates <folder of chat templates>\n')
      return 2
    }
    return templates(dir)
  }
  const dir = process.argv[2]
  if (!dir) {
    process.stderr.write('usage: conformance <folder of MOSS SFT samples>\n')
    return 2
  }
  const report = await runMossConformance(dir)
  process.stdout.write(`conformance: ${report.passed}/${report.total} byte-exact\n`)
  process.stderr.write(`results blocks re-rendered from tool results alone: ${report.resultsExact}/${report.resultsTotal}\n`)
  for (const failure of report.failures.slice(0, SHOWN_FAILURES)) {
    process.stderr.write(`  ${failure.file}: ${failure.error ?? `first difference at offset ${failure.offset ?? 0}`}\n`)
  }
  return report.total > 0 && report.passed === report.total ? 0 : 1
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`conformance: ${describeError(error)}\n`)
    process.exitCode = 2
  },
)
