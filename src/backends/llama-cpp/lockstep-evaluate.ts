import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp'
import type { DecodeRounds } from './decode-rounds.js'

/** How {@link lockstepEvaluate} paces a generation. */
export interface LockstepPacing {
  readonly rounds: DecodeRounds
  /** Prompt tokens evaluated per round while other sessions take part. */
  readonly promptChunkTokens: number
  /** Stops between prompt chunks (the caller checks it between tokens). */
  readonly signal?: AbortSignal
}

/**
 * `sequence.evaluate(input, options)` taking part in the context's decode rounds: each decode (a prompt chunk or the
 * next token) waits for its turn, so that it is batched with the other sessions' decodes of the same round. While
 * other sessions take part, a long input is evaluated `promptChunkTokens` at a time, one chunk per round, so that their
 * tokens keep flowing during a long prompt; alone, it goes in one call as before. Ending the iteration early (break,
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
  let iterator: AsyncGenerator<Token, void, void | Token | Token[]> | undefined
  try {
    while (rest.length > promptChunkTokens && rounds.active > 1) {
      await ticket.turn()
      try {
        await sequence.evaluateWithoutGeneratingNewTokens(rest.slice(0, promptChunkTokens))
      } finally {
        ticket.decoded()
      }
      rest = rest.slice(promptChunkTokens)
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
