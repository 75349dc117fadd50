/**
 * Every failure the CLI reports is one line on stderr and an exit code; stack traces only with `MOSS_DEBUG=1`.
 */
import { ConfigError, MossError, ModelLoadError, describeError } from '../errors.js'

/** Exit code for usage mistakes (bad flags). */
export const EXIT_USAGE = 2
/** Exit code for runtime failures (missing model, server down). */
export const EXIT_FAILURE = 1

/** How to pass a model, appended to "model missing" errors. */
const MODEL_HINT = 'pass --model PATH.gguf (or hf:user/repo/file.gguf), or --backend openai --base-url URL'

/** The line and exit code for `error`. */
export function errorLine(error: unknown): { line: string; code: number } {
  if (error instanceof ConfigError || (MossError.isInstance(error) && error.code === 'MOSS_ERR_CONFIG')) {
    return { line: `moss: ${error.message}`, code: EXIT_USAGE }
  }
  if (error instanceof ModelLoadError && error.reason === 'missing') {
    const message = firstLine(error.message).replace(/[.;\s]+$/, '')
    return { line: `moss: ${message.includes('--model') ? message : `${message}; ${MODEL_HINT}`}`, code: EXIT_FAILURE }
  }
  if (MossError.isInstance(error)) return { line: `moss: ${firstLine(error.message)}${errorHint(error)}`, code: EXIT_FAILURE }
  return { line: `moss: unexpected error: ${firstLine(describeError(error))}`, code: EXIT_FAILURE }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

/** How many causes deep {@link messageWithCauses} looks. */
const MAX_CAUSES = 4

/**
 * The first line of `error`'s message followed by those of its causes that add something, joined by ` — `:
 * `No calculation results. — Parenthesis ) expected (char 5)`. Never throws, whatever was thrown.
 */
export function messageWithCauses(error: unknown): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; depth <= MAX_CAUSES && current !== undefined && current !== null; depth++) {
    const line = safeFirstLine(current)
    if (line !== '' && !lines.some((seen) => seen.includes(line))) lines.push(line)
    current = safeCause(current)
  }
  return lines.join(' — ')
}

/** What the person can do about `error`, as a suffix (`''` when there is nothing to add). */
export function errorHint(error: unknown): string {
  if (MossError.isInstance(error) && error.code === 'MOSS_ERR_CONTEXT_OVERFLOW') {
    return ' — shorten the message, or start moss with a larger context (--ctx N, e.g. --ctx 8192, if the model supports it)'
  }
  if (error instanceof ModelLoadError && error.reason === 'no-binary') return ' — with moss: --gpu auto, or --gpu false for the CPU only'
  return ''
}

function safeFirstLine(value: unknown): string {
  try {
    return firstLine(typeof value === 'object' && value !== null && 'message' in value ? String(value.message) : String(value)).trim()
  } catch {
    return ''
  }
}

function safeCause(value: unknown): unknown {
  try {
    return typeof value === 'object' && value !== null && 'cause' in value ? value.cause : undefined
  } catch {
    return undefined
  }
}
