import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp'
import type { DecodeRounds } from './decode-rounds.js'

/** How {@link lockstepEvaluate} paces a generation. */
export interface LockstepPacing {
  readonly rounds: DecodeRounds
  /** Most prompt tokens evaluated per round while other sessions take part (fewer when a round would be slow). */
  readonly promptChunkTokens: number
  /** Stops between prompt chunks (the caller checks it between tokens). */
  readonly signal?: AbortSignal
}

/** A round with a prompt chunk aims at this many times a plain round: the others' token gaps stay even. */
const CHUNK_ROUND_BUDGET = 1.5
/** Fewest prompt tokens per round, so that a long prompt always advances. */
const MIN_CHUNK = 4

/** The next chunk size: scaled so that the chunk's decode takes about {@link CHUNK_ROUND_BUDGET} plain rounds. */
function nextChunk(chunk: number, chunkMs: number, plainMs: number | undefined, most: number): number {
  if (plainMs === undefined || chunkMs <= 0) return chunk
  const scaled = Math.round(chunk * ((CHUNK_ROUND_BUDGET * plainMs) / chunkMs))
  return Math.max(Math.min(MIN_CHUNK, most), Math.min(most, scaled, chunk * 2))
}

/**
 * `sequence.evaluate(input, options)` taking part in the context's decode rounds: each decode (a prompt chunk or the
 * next token) waits for its turn, so that it is batched with the other sessions' decodes of the same round. While
 * other sessions take part, a long input is evaluated in chunks of at most `promptChunkTokens`, one chunk per round,
 * each sized so that its round takes about 1.5× a round without one: their tokens keep flowing, evenly, during a long
 * prompt. Alone, it goes in one call as before. Ending the iteration early (break,
 * return) leaves the rounds and closes node-llama-cpp's generator.
 */
export async function* lockstepEvaluate(
  sequence: LlamaContextSequence,
  input: readonly Token[],
  options: SequenceEvaluateOptions,
  pacing: LockstepPacing,
): AsyncGenerator<Token, void, void> {
  const { rounds, promptChunkTokens, signal } = pacing
  const ticket = rounds.join()
  let rest = [...input]
  let chunk = promptChunkTokens
  let iterator: AsyncGenerator<Token, void, void | Token | Token[]> | undefined
  try {
    while (rest.length > chunk && rounds.active > 1) {
      await ticket.turn(true)
      const started = performance.now()
      try {
        await sequence.evaluateWithoutGeneratingNewTokens(rest.slice(0, chunk))
      } finally {
        ticket.decoded()
      }
      rest = rest.slice(chunk)
      chunk = nextChunk(chunk, performance.now() - started, rounds.plainRoundMs, promptChunkTokens)
      if (signal?.aborted) return
    }
    iterator = sequence.evaluate(rest, options)
    while (true) {
      await ticket.turn()
      let step: IteratorResult<Token, void>
      try {
        step = await iterator.next()
      } finally {
        ticket.decoded()
      }
      if (step.done === true) return
      yield step.value
    }
  } finally {
    ticket.leave()
    await iterator?.return()
  }
}

/**
 * Evaluates `input` without sampling (a span forced whole: nothing is left for the model to choose), taking part in
 * the decode rounds like a prompt: chunked while other sessions generate, in one decode alone.
 */
export async function lockstepPrompt(sequence: LlamaContextSequence, input: readonly Token[], pacing: LockstepPacing): Promise<void> {
  const { rounds, promptChunkTokens } = pacing
  const ticket = rounds.join()
  let rest = [...input]
  let chunk = promptChunkTokens
  try {
    while (rest.length > 0) {
      const part = rounds.active > 1 ? rest.slice(0, chunk) : rest
      await ticket.turn(true)
      const started = performance.now()
      try {
        await sequence.evaluateWithoutGeneratingNewTokens(part)
      } finally {
        ticket.decoded()
      }
      rest = rest.slice(part.length)
      chunk = nextChunk(chunk, performance.now() - started, rounds.plainRoundMs, promptChunkTokens)
    }
  } finally {
    ticket.leave()
  }
}
