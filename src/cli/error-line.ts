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
  if (MossError.isInstance(error)) return { line: `moss: ${firstLine(error.message)}`, code: EXIT_FAILURE }
  return { line: `moss: unexpected error: ${firstLine(describeError(error))}`, code: EXIT_FAILURE }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
