import { describe, expect, it } from 'vitest'
import { DecodeRounds } from '../../../../src/backends/llama-cpp/decode-rounds.js'

/** Resolves after pending immediates (a round released on the next macrotask has gone by then). */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function track(promise: Promise<void>): { readonly done: boolean } {
  const state = { done: false }
  void promise.then(() => {
    state.done = true
  })
  return state
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

  it('times shared rounds without a prompt chunk only (the yardstick a prompt chunk sizes itself against)', async () => {
    const rounds = new DecodeRounds({ graceMs: 10_000 })
    const a = rounds.join()
    const b = rounds.join()
    void a.turn(true)
    await b.turn()
    a.decoded()
    b.decoded()
    void a.turn()
    // The first round carried a prompt chunk: not a plain round.
    expect(rounds.plainRoundMs).toBeUndefined()
    await b.turn()
    a.decoded()
    b.decoded()
    void a.turn()
    void b.turn()
    await tick()
    expect(rounds.plainRoundMs).toBeGreaterThanOrEqual(0)
  })
})
