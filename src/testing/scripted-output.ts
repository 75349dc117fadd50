/** One scripted generation with extra behaviour. */
export interface ScriptedStep {
  /** The text the model "writes" (stop markers included where the generation should stop). */
  readonly text: string
  /**
   * After streaming the text (before any stop marker), wait until the request's signal aborts instead of ending:
   * simulates a model that keeps thinking. Defaults to `false`.
   */
  readonly hang?: boolean
  /** Delay before each chunk in milliseconds (lets timers fire mid-generation). Defaults to `0`. */
  readonly chunkDelayMs?: number
}

/** A scripted output: text, an {@link ScriptedStep}, or an Error that `generate` throws. */
export type ScriptedOutput = string | ScriptedStep | Error

/** Normalises a scripted output. */
export function toStep(output: string | ScriptedStep): ScriptedStep {
  return typeof output === 'string' ? { text: output } : output
}

/** Splits text into chunks of code points (never splitting a surrogate pair). */
export function splitChunks(text: string, size: number | 'random', random: () => number): string[] {
  const points = Array.from(text)
  const chunks: string[] = []
  let i = 0
  while (i < points.length) {
    const n = size === 'random' ? 1 + Math.floor(random() * 8) : Math.max(1, Math.floor(size))
    chunks.push(points.slice(i, i + n).join(''))
    i += n
  }
  return chunks
}
