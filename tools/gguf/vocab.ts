import { InvalidInputError } from '../../src/errors.js'

/** llama.cpp token types (`tokenizer.ggml.token_type`). */
export const TokenType = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const

/** A SentencePiece-style vocabulary as GGUF stores it, plus the ids llama.cpp needs. */
export interface SpmVocab {
  readonly tokens: readonly string[]
  readonly scores: readonly number[]
  readonly types: readonly number[]
  readonly unkId: number
  readonly bosId: number
  readonly eosId: number
  /** End-of-turn token, registered as an end of generation; optional. */
  readonly eotId?: number
  /** End-of-message token, registered as an end of generation; optional. */
  readonly eomId?: number
  /** `tokenizer.ggml.add_bos_token`; defaults to `true`. */
  readonly addBos?: boolean
  /** `tokenizer.ggml.add_space_prefix`; defaults to `false` (see tiny-model.md). */
  readonly addSpacePrefix?: boolean
}

/** Options of {@link buildSpmVocab}. */
export interface SpmVocabOptions {
  /** Control tokens after `<unk> <s> </s>`; defaults to `<eoh> <eot> <eoc> <eor> <eom>`. */
  readonly controlTokens?: readonly string[]
  /** Which control token is the end-of-turn id; defaults to `<eoc>` when present ("run the plugins"). */
  readonly eotToken?: string
  /** Which control token is the end-of-message id; defaults to `<eom>` when present ("turn over"). */
  readonly eomToken?: string
  /**
   * Normal pieces in merge-rank order (best first), with `▁` standing for a space. Scores become −rank. Single
   * characters needed as merge inputs should come first. Byte tokens cover everything else.
   */
  readonly pieces: readonly string[]
  /** Defaults to `true`. */
  readonly addBos?: boolean
}

/** The default MOSS control tokens. */
export const MOSS_CONTROL_TOKENS = ['<eoh>', '<eot>', '<eoc>', '<eor>', '<eom>'] as const

/**
 * Builds a vocabulary laid out like the project's tiny model: `<unk> <s> </s>`, control tokens, 256 `<0xXX>` byte
 * tokens, then normal pieces with merge scores −rank.
 */
export function buildSpmVocab(options: SpmVocabOptions): SpmVocab {
  const controls = options.controlTokens ?? MOSS_CONTROL_TOKENS
  const tokens: string[] = ['<unk>', '<s>', '</s>', ...controls]
  const types: number[] = [TokenType.unknown, TokenType.control, TokenType.control, ...controls.map(() => TokenType.control)]
  const scores: number[] = tokens.map(() => 0)
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)
    types.push(TokenType.byte)
    scores.push(0)
  }
  const seen = new Set(tokens)
  let rank = 0
  for (const piece of options.pieces) {
    if (piece.length === 0) throw new InvalidInputError('Vocabulary pieces must not be empty')
    if (seen.has(piece)) continue
    seen.add(piece)
    tokens.push(piece)
    types.push(TokenType.normal)
    scores.push(-rank)
    rank++
  }
  const idOf = (token: string | undefined): number | undefined => (token === undefined ? undefined : tokens.indexOf(token) >= 0 ? tokens.indexOf(token) : undefined)
  const eotToken = options.eotToken ?? (controls.includes('<eoc>') ? '<eoc>' : undefined)
  const eomToken = options.eomToken ?? (controls.includes('<eom>') ? '<eom>' : undefined)
  return {
    tokens,
    scores,
    types,
    unkId: 0,
    bosId: 1,
    eosId: 2,
    eotId: idOf(eotToken),
    eomId: idOf(eomToken),
    addBos: options.addBos ?? true,
    addSpacePrefix: false,
  }
}

/**
 * Merge pieces for a list of words: every prefix (length ≥ 2) of `▁word`, so llama.cpp's greedy bigram merges can
 * always reach the whole word. Single characters are added first.
 */
export function piecesForWords(words: readonly string[], characters: string): string[] {
  const pieces: string[] = ['▁', ...Array.from(characters)]
  for (const word of words) {
    const chars = Array.from(`▁${word}`)
    for (let end = 2; end <= chars.length; end++) pieces.push(chars.slice(0, end).join(''))
    const bare = Array.from(word)
    for (let end = 2; end <= bare.length; end++) pieces.push(bare.slice(0, end).join(''))
  }
  return pieces
}
