import type { Token } from 'node-llama-cpp'
import type { PromptPart } from '../types.js'

/** One part of the transcript and where its tokens are. BOS is not a segment. */
export interface Segment {
  /** The part's text (for generated text, what the model produced). */
  readonly text: string
  /** Whether the part was tokenized with special tokens on. */
  readonly trusted: boolean
  /** Index of the segment's first token in the transcript. */
  readonly start: number
  /** Index one past its last token. */
  readonly end: number
}

/**
 * Rebuilds a transcript for new parts, reusing the tokens of leading segments whose text and trust are unchanged.
 * Generated segments keep the tokens the model actually produced (re-tokenizing their text could differ and would
 * force re-evaluation from there); the first changed part and everything after is tokenized afresh.
 */
export function rebuildTranscript(
  prefix: readonly Token[],
  oldTokens: readonly Token[],
  oldSegments: readonly Segment[],
  parts: readonly PromptPart[],
  tokenize: (part: PromptPart) => Token[],
): { tokens: Token[]; segments: Segment[] } {
  const tokens: Token[] = [...prefix]
  const segments: Segment[] = []
  let reusing = true
  parts.forEach((part, i) => {
    const old = oldSegments[i]
    const start = tokens.length
    if (reusing && old !== undefined && old.text === part.text && old.trusted === part.trusted && old.start === start) {
      for (let t = old.start; t < old.end; t++) tokens.push(oldTokens[t] as Token)
    } else {
      reusing = false
      tokens.push(...tokenize(part))
    }
    segments.push({ text: part.text, trusted: part.trusted, start, end: tokens.length })
  })
  return { tokens, segments }
}

/** The last `length` characters of the transcript text (for trigger detection at the start of a generation). */
export function transcriptTail(segments: readonly Segment[], length: number): string {
  let tail = ''
  for (let i = segments.length - 1; i >= 0 && tail.length < length; i--) tail = (segments[i]?.text ?? '') + tail
  return tail.slice(-length)
}
