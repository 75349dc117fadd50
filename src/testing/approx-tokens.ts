import type { PromptPart } from '../backends/types.js'

/**
 * Characters per approximate token of the scripted backend. Real tokenizers average 3–4 characters per token on
 * English text; a fixed ratio keeps test arithmetic predictable.
 */
export const CHARS_PER_TOKEN = 4

/** Approximate token count of a text: one token per {@link CHARS_PER_TOKEN} code points, rounded up. */
export function approxTokens(text: string): number {
  return Math.ceil(Array.from(text).length / CHARS_PER_TOKEN)
}

/** Approximate token count of parts, counted part by part (as a backend tokenizes them separately). */
export function approxPartTokens(parts: readonly PromptPart[]): number {
  let total = 0
  for (const part of parts) total += approxTokens(part.text)
  return total
}
