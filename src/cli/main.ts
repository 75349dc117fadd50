/**
 * The `moss` command: `moss [chat]` (REPL), `moss run "question"` (one answer), `--help`, `--version`.
 * Every failure is one line on stderr and a non-zero exit code, never a stack trace (unless `MOSS_DEBUG=1`).
 */
import { readFileSync } from 'node:fs'
import { parseCliArgs } from './args.js'
import { errorLine } from './error-line.js'
import { helpText } from './help-text.js'
import { runRepl } from './repl.js'
import { runOnce } from './run-once.js'
import { processStreams } from './streams.js'
import type { CliStreams } from './streams.js'

/** Runs the CLI with `argv` (arguments after the script name). Resolves to the process exit code. */
export async function main(argv: string[], io: CliStreams = processStreams()): Promise<number> {
  try {
    const options = parseCliArgs(argv, io.env)
    switch (options.command) {
      case 'help':
        io.stdout.write(`${helpText()}\n`)
        return 0
      case 'version':
        io.stdout.write(`${packageVersion()}\n`)
        return 0
      case 'run':
        return await runOnce(options, io)
      case 'chat':
        return await runRepl(options, io)
    }
  } catch (error) {
    const { line, code } = errorLine(error)
    io.stderr.write(`${line}\n`)
    if (io.env.MOSS_DEBUG === '1' && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`)
    return code
  }
}

function packageVersion(): string {
  // dist/src/cli/main.js and src/cli/main.ts are both three levels below the package root.
  const url = new URL('../../../package.json', import.meta.url)
  try {
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
