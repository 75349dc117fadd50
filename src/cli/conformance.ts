#!/usr/bin/env node
/**
 * `npm run conformance -- <dir>`: checks that the MOSS format reproduces every MOSS SFT sample under `<dir>` byte for
 * byte (parse → structure → render). Prints `conformance: N/M byte-exact`; exits 0 only when every sample passes.
 */
import { runMossConformance } from '../formats/conformance.js'
import { describeError } from '../errors.js'

const SHOWN_FAILURES = 5

async function main(): Promise<number> {
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
