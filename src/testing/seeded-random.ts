/**
 * A tiny deterministic PRNG (mulberry32) so that "random" chunking is reproducible from a seed; `Math.random`
 * would make a failing split impossible to replay. tools/gguf draws the weights of the generated test model from it
 * too, so any change to the sequence changes that model's bytes.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
