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

/** The real process streams. */
export function processStreams(): CliStreams {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signals: process, env: process.env }
}
