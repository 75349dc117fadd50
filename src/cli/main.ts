/**
 * The `moss` command: `moss [chat]` (REPL), `moss run "question"` (one answer), `moss serve` (HTTP + web page),
 * `--help`, `--version`.
 * Every failure is one line on stderr and a non-zero exit code, never a stack trace (unless `MOSS_DEBUG=1`).
 */
import { readFileSync } from 'node:fs'
import { parseCliArgs } from './args.js'
import { errorLine } from './error-line.js'
import { helpText } from './help-text.js'
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
      // Loaded on demand: the engine and plugins take a while to import, and --help or a typo should not wait.
      case 'run':
        return await (await import('./run-once.js')).runOnce(options, io)
      case 'chat':
        return await (await import('./repl.js')).runRepl(options, io)
      case 'serve':
        return await (await import('./serve.js')).runServe(options, io)
    }
  } catch (error) {
    const { line, code } = errorLine(error)
    io.stderr.write(`${line}\n`)
    if (io.env.MOSS_DEBUG === '1' && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`)
    return code
  }
}

/** The version in moss-agent's package.json, found by walking up from this file (src/cli or dist/src/cli). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const data = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string }
      if (data.name === 'moss-agent' && data.version) return data.version
    } catch {
      // not at this level
    }
  }
  return 'unknown'
}
