import type { Token } from 'node-llama-cpp'
import type { PromptPart } from '../types.js'
import { applyInputMap, type InputMap } from './input-map.js'

/** The slice of node-llama-cpp's model API that tokenization needs (a fake implements it in unit tests). */
export interface PartTokenizer {
  /** node-llama-cpp's `LlamaModel.tokenize`: `specialTokens` turns marker text into special tokens. */
  tokenize(text: string, specialTokens?: boolean, options?: 'trimLeadingSpace'): Token[]
  /** node-llama-cpp's `LlamaModel.getTokenAttributes`; without it untrusted text is not checked for added tokens. */
  getTokenAttributes?(token: Token): { readonly control: boolean; readonly userDefined: boolean }
  /** node-llama-cpp's `LlamaModel.detokenize` (needed with `getTokenAttributes`). */
  detokenize?(tokens: readonly Token[], specialTokens?: boolean): string
}

/**
 * Tokenizes prompt parts one at a time so that trusted markers can become special tokens while untrusted text
 * never does, without the leading space SentencePiece-style tokenizers add to every separately tokenized chunk.
 */
export class PartTokenizerCache {
  private readonly newline: Token[]

  /** @param inputMap - the model's input map (input-map.ts), applied to every part first; none for most models */
  constructor(
    private readonly model: PartTokenizer,
    private readonly inputMap?: InputMap,
  ) {
    this.newline = model.tokenize('\n', false)
  }

  /**
   * Tokens of one part. Trusted parts parse special-token text (`<eoc>` becomes the control token when the
   * vocabulary has it); untrusted parts never do.
   */
  tokenize(part: PromptPart): Token[] {
    const text = this.inputMap === undefined ? part.text : applyInputMap(part.text, this.inputMap)
    return part.trusted ? this.chunk(text, true) : this.plain(text)
  }

  private chunk(text: string, trusted: boolean): Token[] {
    if (text.length === 0) return []
    // Tokenizing "\n" + text and dropping the newline's tokens keeps the text's first piece exactly as it would be
    // mid-sentence: no space prefix is invented. If the newline merged with the text, fall back to trimming.
    const withNewline = this.model.tokenize(`\n${text}`, trusted)
    if (this.newline.length > 0 && startsWith(withNewline, this.newline)) return withNewline.slice(this.newline.length)
    return this.model.tokenize(text, trusted, 'trimLeadingSpace')
  }

  /**
   * Untrusted text with special tokens off. llama.cpp still matches *user-defined* added tokens then (Qwen3's
   * `<think>`, `<tool_call>`, `<tool_response>`), so a text that produced one is cut inside that token's text (after
   * its first character) and the two sides are tokenized apart: no added token can come out of untrusted text,
   * whatever the vocabulary and whatever the format neutralised.
   */
  private plain(text: string): Token[] {
    const tokens = this.chunk(text, false)
    const attributes = this.model.getTokenAttributes
    const detokenize = this.model.detokenize
    if (attributes === undefined || detokenize === undefined) return tokens
    const forged = tokens.find((t) => {
      const a = attributes.call(this.model, t)
      return a.control || a.userDefined
    })
    if (forged === undefined) return tokens
    const piece = detokenize.call(this.model, [forged], true)
    const at = text.indexOf(piece)
    if (piece.length < 2 || at < 0) return tokens // cannot locate it: keep llama.cpp's tokens rather than loop
    const cut = at + 1
    return [...this.plain(text.slice(0, cut)), ...this.plain(text.slice(cut))]
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
