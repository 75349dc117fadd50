import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp'
import { nextChunkTokens } from './chunk-sizing.js'
import type { DecodeRounds, RoundTicket } from './decode-rounds.js'
import { PLAIN_WORK } from './decode-rounds.js'

/** How {@link lockstepEvaluate} paces a generation. */
export interface LockstepPacing {
  readonly rounds: DecodeRounds
  /** Most prompt tokens evaluated per round while other sessions take part (fewer when a round would be slow). */
  readonly promptChunkTokens: number
  /** Stops between prompt chunks (the caller checks it between tokens). */
  readonly signal?: AbortSignal
}

/** Inputs of up to this many tokens beyond `keep` (a generation's held token and prefix) go unpaced, in one decode. */
const UNPACED_TOKENS = 4

/**
 * Feeds a prompt to the rounds one chunk per round while other sessions take part, each chunk sized by
 * chunk-sizing.ts. Without a recent timed plain round of the sessions generating now, it first sits one round out so
 * that one is timed: a chunk sized blind is the longest gap the others see. Returns the tokens left for the caller's
 * last decode — at most one chunk plus `keep` while others take part, all of them alone — or `undefined` when aborted.
 */
async function feedChunks(
  sequence: LlamaContextSequence,
  ticket: RoundTicket,
  input: readonly Token[],
  pacing: LockstepPacing,
  keep: number,
): Promise<readonly Token[] | undefined> {
  const { rounds, promptChunkTokens, signal } = pacing
  let rest = input
  let previous: number | undefined
  let satOut = false
  const unpaced = Math.min(UNPACED_TOKENS, promptChunkTokens)
  while (rounds.active > 1 && rest.length - keep > unpaced) {
    const estimate = ticket.estimate()
    // Only prompts take part (sessions starting together): nobody's token gaps to keep even, full chunks.
    const chunk0 = estimate.generating === 0 ? promptChunkTokens : undefined
    if (chunk0 === undefined && estimate.plainMs === undefined && !satOut) {
      await ticket.sitOut()
      // One try: when the others stayed away it goes with the smallest chunk rather than waiting again.
      satOut = true
      continue
    }
    const chunk = chunk0 ?? nextChunkTokens({ plainMs: estimate.plainMs ?? 0, promptTokenMs: estimate.promptTokenMs }, previous, promptChunkTokens)
    // What is left fits in one round: the caller's last decode takes it.
    if (rest.length - keep <= chunk) break
    await ticket.turn({ promptTokens: chunk, samples: false })
    try {
      await sequence.evaluateWithoutGeneratingNewTokens(rest.slice(0, chunk))
    } finally {
      ticket.decoded()
    }
    rest = rest.slice(chunk)
    previous = chunk
    satOut = false
    if (signal?.aborted) return undefined
  }
  return rest
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
  const ticket = pacing.rounds.join()
  let iterator: AsyncGenerator<Token, void, void | Token | Token[]> | undefined
  try {
    // The last token goes with the first sampling, as node-llama-cpp's evaluate needs at least one.
    const rest = await feedChunks(sequence, ticket, input, pacing, 1)
    if (rest === undefined) return
    iterator = sequence.evaluate([...rest], options)
    // The first decode carries what is left of the input: not a plain round.
    let work = { promptTokens: rest.length - 1, samples: true }
    while (true) {
      await ticket.turn(work)
      work = PLAIN_WORK
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
  const ticket = pacing.rounds.join()
  try {
    const rest = await feedChunks(sequence, ticket, input, { ...pacing, signal: undefined }, 0)
    if (rest === undefined || rest.length === 0) return
    await ticket.turn({ promptTokens: rest.length, samples: false })
    try {
      await sequence.evaluateWithoutGeneratingNewTokens([...rest])
    } finally {
      ticket.decoded()
    }
  } finally {
    ticket.leave()
  }
}
