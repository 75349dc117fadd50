import type { Token } from 'node-llama-cpp'
import type { PromptPart } from '../types.js'

/** The slice of node-llama-cpp's model API that tokenization needs (a fake implements it in unit tests). */
export interface PartTokenizer {
  /** node-llama-cpp's `LlamaModel.tokenize`: `specialTokens` turns marker text into special tokens. */
  tokenize(text: string, specialTokens?: boolean, options?: 'trimLeadingSpace'): Token[]
}

/**
 * Tokenizes prompt parts one at a time so that trusted markers can become special tokens while untrusted text
 * never does, without the leading space SentencePiece-style tokenizers add to every separately tokenized chunk.
 */
export class PartTokenizerCache {
  private readonly newline: Token[]

  constructor(private readonly model: PartTokenizer) {
    this.newline = model.tokenize('\n', false)
  }

  /**
   * Tokens of one part. Trusted parts parse special-token text (`<eoc>` becomes the control token when the
   * vocabulary has it); untrusted parts never do.
   */
  tokenize(part: PromptPart): Token[] {
    if (part.text.length === 0) return []
    // Tokenizing "\n" + text and dropping the newline's tokens keeps the text's first piece exactly as it would be
    // mid-sentence: no space prefix is invented. If the newline merged with the text, fall back to trimming.
    const withNewline = this.model.tokenize(`\n${part.text}`, part.trusted)
    if (this.newline.length > 0 && startsWith(withNewline, this.newline)) return withNewline.slice(this.newline.length)
    return this.model.tokenize(part.text, part.trusted, 'trimLeadingSpace')
  }

  /** Total tokens of several parts. */
  count(parts: readonly PromptPart[]): number {
    let total = 0
    for (const part of parts) total += this.tokenize(part).length
    return total
  }
}

function startsWith(tokens: readonly Token[], prefix: readonly Token[]): boolean {
  if (prefix.length > tokens.length) return false
  return prefix.every((token, i) => tokens[i] === token)
}

/** Length of the common prefix of two token lists. */
export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a[i] === b[i]) i++
  return i
}
