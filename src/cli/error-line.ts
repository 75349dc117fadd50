/**
 * Every failure the CLI reports is one line on stderr and an exit code; stack traces only with `MOSS_DEBUG=1`.
 */
import { ConfigError, MossError, ModelLoadError, describeError } from '../errors.js'

// The cause chain is spelled out the same way by the CLI and by the event JSON (`moss run --json`, `moss serve`).
export { messageWithCauses } from '../errors.js'

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

/** What the person can do about `error`, as a suffix (`''` when there is nothing to add). */
export function errorHint(error: unknown): string {
  if (MossError.isInstance(error) && error.code === 'MOSS_ERR_CONTEXT_OVERFLOW') {
    return ' — shorten the message, or start moss with a larger context (--ctx N, e.g. --ctx 8192, if the model supports it)'
  }
  if (error instanceof ModelLoadError && error.reason === 'no-binary') return ' — with moss: --gpu auto, or --gpu false for the CPU only'
  return ''
}
