import { IsolationError } from '../../errors.js'

/** Fragments V8 prints on stderr when a child dies at its heap limit (`--max-old-space-size`). */
const HEAP_MARKERS = ['heap out of memory', 'Reached heap limit', 'Allocation failed', 'Invalid table size'] as const

/** How many characters of a child's stderr are kept for diagnosis. */
export const STDERR_KEEP_CHARS = 8192

/** Turns an unexpected child exit into a typed error: `memory` when V8 reported its heap limit, else `crash`. */
export function classifyExit(
  name: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): IsolationError {
  const how = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`
  if (HEAP_MARKERS.some((marker) => stderr.includes(marker))) {
    return new IsolationError('memory', `${name}: the child process ran out of memory (${how})`, { cause: lastLine(stderr) })
  }
  return new IsolationError('crash', `${name}: the child process crashed (${how})`, { cause: lastLine(stderr) })
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean)
  const fatal = lines.find((line) => line.includes('FATAL ERROR'))
  return fatal ?? lines.at(-1) ?? ''
}
