/**
 * How many prompt tokens one decode round may carry while other sessions generate.
 *
 * A round's wall time is close to affine in what it carries: the plain round of the generating sessions (their
 * tokens, their samplings) plus a cost per prompt token. A chunk is sized so that its round takes
 * {@link CHUNK_ROUND_BUDGET} plain rounds: `(budget − 1) × plain ÷ perToken` tokens. Scaling the last chunk by
 * `target ÷ its round` instead (proportional) ignores the plain part and converges slowly, and a fixed first chunk
 * before any measurement is the largest gap of all (64 tokens on the 25M-parameter bench model: 65–150 ms beside a
 * 10 ms plain round).
 */

/** A round with a prompt chunk aims at this many plain rounds: the others' token gaps stay even. */
export const CHUNK_ROUND_BUDGET = 1.5
/**
 * Fewest prompt tokens per round, so that a long prompt always advances; also the first chunk before any chunk round
 * was timed. (A floor of 1 gave the bench's 25M model lower gaps still, but spread a newcomer's 25-token prompt over
 * ten rounds and more: its first token came that much later.)
 */
export const MIN_CHUNK = 4

/** What the rounds have measured, as seen by a prompt about to queue its next chunk. */
export interface ChunkEstimate {
  /** Wall time of a round of the sessions generating now, without a chunk, ms. */
  readonly plainMs: number
  /** Extra wall time per prompt token in a round, ms; `undefined` before any chunk round was timed. */
  readonly promptTokenMs: number | undefined
}

/**
 * The next chunk of a prompt: the budgeted size between {@link MIN_CHUNK} and `most`. Before any chunk round was
 * timed it is {@link MIN_CHUNK} (a probe); after that a chunk is at most twice the previous chunk of its prompt, so
 * that the first figures, from a few tokens' rounds, cannot make it jump. A prompt's first chunk goes by the shared
 * estimate alone: it averages earlier rounds.
 *
 * @param previous - the previous chunk of this prompt, `undefined` for its first
 */
export function nextChunkTokens(estimate: ChunkEstimate, previous: number | undefined, most: number): number {
  const floor = Math.min(MIN_CHUNK, most)
  const { plainMs, promptTokenMs } = estimate
  if (promptTokenMs === undefined || promptTokenMs <= 0) return floor
  const budgeted = Math.floor(((CHUNK_ROUND_BUDGET - 1) * plainMs) / promptTokenMs)
  const cap = previous === undefined ? most : Math.min(most, previous * 2)
  return Math.max(floor, Math.min(cap, budgeted))
}
