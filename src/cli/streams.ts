/** The process streams the CLI uses, injectable so unit tests can run commands in-process. */

/** An output stream. */
export interface CliOutput {
  write(text: string): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

/** Standard streams and the signal source. */
export interface CliStreams {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  readonly stdout: CliOutput
  readonly stderr: CliOutput
  /** Where SIGINT is observed (the process). */
  readonly signals: {
    on(event: 'SIGINT', listener: () => void): unknown
    off(event: 'SIGINT', listener: () => void): unknown
  }
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * The real process streams. When the reader of stdout goes away (`moss run … | head -1`), the process ends quietly,
 * as command-line filters do, instead of crashing on an unhandled EPIPE.
 */
export function processStreams(): CliStreams {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signals: process, env: process.env }
}
