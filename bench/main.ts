/**
 * The bench's command line: parses options, runs, prints the table (or `--json`), exits non-zero on failure.
 */
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
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  }
}
