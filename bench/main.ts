/**
 * The bench's command line: parses options, runs, prints the table (or `--json`), exits non-zero on failure.
 */
import { MossError, describeError } from '../src/errors.js'
import { runBench } from './bench.js'
import { parseBenchOptions } from './options.js'
import { renderReport } from './report.js'

/** Runs `npm run bench` with these arguments. */
export async function benchMain(argv: readonly string[]): Promise<void> {
  try {
    const options = parseBenchOptions(argv)
    if (options === undefined) return
    const report = await runBench(options, (line) => process.stderr.write(`bench: ${line}\n`))
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report))
  } catch (error) {
    // A typed error (bad option, no GPU build, missing model) says what to do: its message, without a stack trace.
    const text = MossError.isInstance(error) ? `${error.code}: ${describeError(error)}` : error instanceof Error ? (error.stack ?? error.message) : String(error)
    process.stderr.write(`bench failed: ${text}\n`)
    process.exitCode = 1
  }
}
