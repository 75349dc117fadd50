import { describe, expect, it } from 'vitest'
import { DecodeRounds, STALE_ROUNDS } from '../../../../src/backends/llama-cpp/decode-rounds.js'

/** Resolves after pending immediates (a round released on the next macrotask has gone by then). */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function track(promise: Promise<void>): { readonly done: boolean } {
  const state = { done: false }
  void promise.then(() => {
    state.done = true
  })
  return state
}

/**
 * One generating session and one prompt session on a fake clock, after a first plain round that took 10 ms: the
 * prompt session sat that round out to have it timed.
 */
async function afterTimedPlainRound() {
  const time = { now: 0 }
  const rounds = new DecodeRounds({ graceMs: 10_000, now: () => time.now })
  const a = rounds.join()
  const chunker = rounds.join()
  const sitting = chunker.sitOut()
  await a.turn()
  time.now = 10
  a.decoded()
  await sitting
  return { time, a, chunker }
}

describe('DecodeRounds', () => {
  it('lets a lone session go at once', async () => {
    const rounds = new DecodeRounds()
    const ticket = rounds.join()
    const turn = track(ticket.turn())
    await Promise.resolve()
    expect(turn.done).toBe(true)
    expect(rounds.released).toBe(1)
  })

  it('holds the first session back until every session of the round is waiting, then releases them together', async () => {
    const rounds = new DecodeRounds({ graceMs: 10_000 })
    const a = rounds.join()
    const b = rounds.join()
    const first = track(a.turn())
    await tick()
    expect(first.done).toBe(false)
    const second = track(b.turn())
    await tick()
    expect([first.done, second.done]).toEqual([true, true])
    expect(rounds.released).toBe(1)
  })

  it('does not release while a session of the round is still decoding', async () => {
    const rounds = new DecodeRounds({ graceMs: 10_000 })
    const a = rounds.join()
    const b = rounds.join()
    void a.turn()
    await b.turn()
    // Both were released; a's decode returns first, b's is still running.
    a.decoded()
    const next = track(a.turn())
    await tick()
    expect(next.done).toBe(false)
    b.decoded()
    const other = track(b.turn())
    await tick()
    expect([next.done, other.done]).toEqual([true, true])
    expect(rounds.released).toBe(2)
  })

  it('goes without a session whose consumer stays away longer than the grace period, which joins the next round', async () => {
    const rounds = new DecodeRounds({ graceMs: 5 })
    const a = rounds.join()
    const b = rounds.join()
    void a.turn()
    await b.turn()
    a.decoded()
    b.decoded()
    // b has its token but does not come back (a slow reader).
    const alone = track(a.turn())
    await tick()
    expect(alone.done).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(alone.done).toBe(true)
    // Away, b no longer holds a back: a's next round goes at once.
    a.decoded()
    const again = track(a.turn())
    await tick()
    expect(again.done).toBe(true)
    const late = track(b.turn())
    await tick()
    expect(late.done).toBe(false)
    a.decoded()
    const together = track(a.turn())
    await tick()
    expect([late.done, together.done]).toEqual([true, true])
  })

  it('stops waiting for a session that leaves, and lets a leaving waiter go', async () => {
    const rounds = new DecodeRounds({ graceMs: 10_000 })
    const a = rounds.join()
    const b = rounds.join()
    const waiting = track(a.turn())
    await tick()
    expect(waiting.done).toBe(false)
    b.leave()
    await tick()
    expect(waiting.done).toBe(true)
    expect(rounds.active).toBe(1)
    const c = rounds.join()
    void c
    a.decoded()
    const held = track(a.turn())
    await tick()
    expect(held.done).toBe(false)
    a.leave()
    await tick()
    expect(held.done).toBe(true)
    expect(rounds.active).toBe(1)
  })

  it('times plain rounds by the number of sampling sessions, from release to the last decode back', async () => {
    let clock = 0
    const rounds = new DecodeRounds({ graceMs: 10_000, now: () => clock })
    const a = rounds.join()
    const b = rounds.join()
    const chunker = rounds.join()
    // Nobody has decoded yet: nobody is generating.
    expect(chunker.estimate()).toEqual({ generating: 0, plainMs: undefined, promptTokenMs: undefined })
    void a.turn()
    void chunker.sitOut()
    await b.turn()
    clock = 10
    a.decoded()
    clock = 12
    b.decoded()
    // The consumers' time after the last decode does not count.
    clock = 50
    expect(chunker.estimate()).toEqual({ generating: 2, plainMs: 12, promptTokenMs: undefined })
  })

  it('derives the extra time per prompt token from rounds that carry a chunk beside generating sessions', async () => {
    const { time, a, chunker } = await afterTimedPlainRound()
    expect(chunker.estimate()).toEqual({ generating: 1, plainMs: 10, promptTokenMs: undefined })
    time.now = 100
    void chunker.turn({ promptTokens: 8, samples: false })
    await a.turn()
    time.now = 126
    chunker.decoded()
    a.decoded()
    // The round took 26 ms against a 10 ms plain round: (26 − 10) / 8 prompt tokens.
    expect(chunker.estimate().promptTokenMs).toBe(2)
    // A generation's first decode with a whole prompt is not a chunk round: neither figure moves.
    time.now = 200
    void chunker.turn({ promptTokens: 500, samples: true })
    await a.turn()
    time.now = 600
    chunker.decoded()
    a.decoded()
    expect(chunker.estimate()).toEqual({ generating: 1, plainMs: 10, promptTokenMs: 2 })
  })

  it('lets a session sit out one round: the others go without it, and it is back once that round is decoded', async () => {
    const rounds = new DecodeRounds({ graceMs: 10_000 })
    const a = rounds.join()
    const chunker = rounds.join()
    const sitting = track(chunker.sitOut())
    const turn = track(a.turn())
    await tick()
    expect(turn.done).toBe(true)
    expect(sitting.done).toBe(false)
    a.decoded()
    await tick()
    expect(sitting.done).toBe(true)
    // Back in: the next round waits for it again.
    const next = track(a.turn())
    await tick()
    expect(next.done).toBe(false)
    void chunker.turn({ promptTokens: 4, samples: false })
    await tick()
    expect(next.done).toBe(true)
  })

  it('does not keep a sitting session waiting when nobody else asks for a round', async () => {
    const rounds = new DecodeRounds({ graceMs: 5 })
    const a = rounds.join()
    const chunker = rounds.join()
    const sitting = track(chunker.sitOut())
    await tick()
    expect(sitting.done).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(sitting.done).toBe(true)
    // Alone, there is nothing to time: it goes at once.
    a.leave()
    await chunker.sitOut()
  })

  it('forgets a plain-round time not refreshed for STALE_ROUNDS rounds', async () => {
    const { time, a, chunker } = await afterTimedPlainRound()
    expect(chunker.estimate().plainMs).toBe(10)
    for (let i = 0; i <= STALE_ROUNDS; i++) {
      void chunker.turn({ promptTokens: 4, samples: false })
      await a.turn()
      time.now += 14
      chunker.decoded()
      a.decoded()
    }
    expect(chunker.estimate().plainMs).toBeUndefined()
    // (14 − 10) / 4 for every chunk round.
    expect(chunker.estimate().promptTokenMs).toBe(1)
  })
})
