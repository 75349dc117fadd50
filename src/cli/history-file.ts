/**
 * The REPL's persistent history: one entry per line, oldest first, in `~/.moss_history` or `$MOSS_HISTORY`.
 * Failures to read or write it never stop the REPL (a read-only home is fine).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

/** Entries kept. */
export const HISTORY_SIZE = 1000

/** Reads the history, newest first (the order node:readline wants). */
export function loadHistory(path: string): string[] {
  try {
    const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '')
    return lines.slice(-HISTORY_SIZE).reverse()
  } catch {
    return []
  }
}

/** Writes `history` (newest first, as readline keeps it) atomically: temp file, then rename. */
export function saveHistory(path: string, history: readonly string[]): void {
  const tmp = `${path}.${process.pid}.tmp`
  try {
    const lines = history.slice(0, HISTORY_SIZE).reverse()
    writeFileSync(tmp, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o600 })
    renameSync(tmp, path)
  } catch {
    // History is a convenience: an unwritable location must not break the chat.
  }
}
