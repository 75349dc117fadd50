import type { Token } from 'node-llama-cpp'

/** The slice of node-llama-cpp's model API the decoder needs. */
export interface TokenDetokenizer {
  /** node-llama-cpp's `LlamaModel.detokenize`: `lastTokens` give context so a leading space is decoded right. */
  detokenize(tokens: readonly Token[], specialTokens?: boolean, lastTokens?: readonly Token[]): string
}

// A UTF-8 character spans at most 4 byte tokens; past that a replacement character is real, not partial.
const MAX_PENDING = 4

/**
 * Turns generated tokens into text incrementally. Byte-fallback tokens of one CJK character arrive separately, so
 * text ending in U+FFFD is held until the character completes. Special tokens decode to their text (`<eoc>`), which
 * is how a control-token stop marker is recognised.
 */
export class TokenTextDecoder {
  private pending: Token[] = []
  private context: Token[] = []

  constructor(private readonly model: TokenDetokenizer) {}

  /** Text completed by this token (may be empty while a character is incomplete). */
  push(token: Token): string {
    this.pending.push(token)
    const text = this.model.detokenize(this.pending, true, this.context)
    if (text.endsWith('\uFFFD') && this.pending.length < MAX_PENDING) return ''
    this.context = [...this.context, ...this.pending].slice(-8)
    this.pending = []
    return text
  }

  /** Whatever is still pending, decoded as is. */
  flush(): string {
    if (this.pending.length === 0) return ''
    const text = this.model.detokenize(this.pending, true, this.context)
    this.pending = []
    return text
  }
}
