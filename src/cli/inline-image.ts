/**
 * Inline image display for terminals that implement the iTerm2 image protocol (iTerm2, WezTerm). Elsewhere the
 * REPL only prints the path.
 */
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'

/** Terminals (TERM_PROGRAM values) known to draw iTerm2 inline images. */
const INLINE_TERMINALS = ['iTerm.app', 'WezTerm'] as const

/** Images larger than this are not inlined (the escape sequence carries the whole file, base64-encoded). */
const MAX_INLINE_BYTES = 4 * 1024 * 1024

/** Whether the terminal described by `env` can show inline images. */
export function supportsInlineImages(env: NodeJS.ProcessEnv): boolean {
  return (INLINE_TERMINALS as readonly string[]).includes(env.TERM_PROGRAM ?? '')
}

/** The escape sequence that draws the image at `path`, or `undefined` when the file cannot be read or is too big. */
export function inlineImageSequence(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_INLINE_BYTES) return undefined
    const data = readFileSync(path).toString('base64')
    const name = Buffer.from(basename(path)).toString('base64')
    return `\x1b]1337;File=name=${name};inline=1;preserveAspectRatio=1:${data}\x07\n`
  } catch {
    return undefined
  }
}
