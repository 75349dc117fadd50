/**
 * Lock-step decoding for the sessions of one context, so that N generating sessions share each native decode.
 *
 * Why it is needed: node-llama-cpp batches whatever sequences have queued a decode when its dispatch runs, but its
 * dispatch loop decodes the queue again as soon as the previous batch's samplings are done, inside the same lock. The
 * sessions' samplings finish at different moments, so the first session back queues its next token alone and is
 * decoded alone, the next one likewise: two sessions fall out of phase for good (measured: 255 native decodes for 256
 * tokens at 2 sessions). Its `dispatchSchedule` option cannot help, since the loop does not consult it.
 *
 * What this does: every session asks for a turn before it queues a decode (a prompt chunk or its next token). A round
 * is released when every session of the round is waiting, that is when none is still decoding or handing its last
 * token to its consumer, and the release runs on the next macrotask, after node-llama-cpp's dispatch loop has let go,
 * so all of them queue together and land in one batch. A session whose consumer keeps it away longer than `graceMs`
 * (a slow reader, an abandoned generator) does not hold the others: they go without it, nobody waits for it again, and
 * it joins the next round when it asks for a turn.
 *
 * It also times the rounds, from release to the last decode back (consumers excluded: they take the same time with or
 * without a chunk), for the prompt chunks' sizing (chunk-sizing.ts): plain rounds per number of sampling sessions,
 * and the extra time per prompt token of rounds that carry a chunk.
 */

/**
 * Where one participating session is in the current round. `away`: it kept the others waiting past the grace period
 * (a slow reader, or a generator its consumer abandoned); nobody waits for it again until it asks for a turn.
 * `sitting`: a prompt letting one round go without its chunk, so that a plain round is timed.
 */
type Phase = 'waiting' | 'decoding' | 'consuming' | 'away' | 'sitting'

/** Options of {@link DecodeRounds}. */
export interface DecodeRoundsOptions {
  /**
   * How long sessions that are ready wait for one that has its token but has not come back (its consumer is busy),
   * ms. Defaults to `20`: far above the microseconds a consumer normally takes, far below a human-noticeable stall.
   */
  readonly graceMs?: number
  /** The clock, ms (tests inject one). Defaults to `performance.now`. */
  readonly now?: () => number
}

/** What one session's next decode carries. */
export interface RoundWork {
  /** Prompt tokens beyond the one token a generating session decodes (a chunk's size; `0` for a plain token). */
  readonly promptTokens: number
  /** Whether the decode ends in a sampling (a generating session), `false` for a prompt chunk. */
  readonly samples: boolean
}

/** The next token of a generating session. */
export const PLAIN_WORK: RoundWork = { promptTokens: 0, samples: true }

/** What the rounds know for sizing a prompt chunk now (see chunk-sizing.ts). */
export interface RoundEstimate {
  /** Other sessions generating now: `0` when none is (the others, if any, evaluate prompts: no gaps to keep even). */
  readonly generating: number
  /**
   * Wall time of a plain round of the sessions sampling now, ms; `undefined` when no such round has been timed, or
   * none during the last {@link STALE_ROUNDS} rounds (positions and load move it).
   */
  readonly plainMs: number | undefined
  /** Extra wall time per prompt token of a round, ms; `undefined` before any chunk round was timed. */
  readonly promptTokenMs: number | undefined
}

/** A participant's handle: one per generation. */
export interface RoundTicket {
  /** Resolves when this session may queue its next decode, which carries `work` (default: one generated token). */
  turn(work?: RoundWork): Promise<void>
  /** The decode asked for by the last `turn` has returned; the session is handing its result on. */
  decoded(): void
  /**
   * Lets the next round go without this session, so that a plain round of the others is timed. Resolves when that
   * round's decodes are back, at once when nobody else takes part, or after the grace period if the others do not
   * ask for a round meanwhile (busy consumers).
   */
  sitOut(): Promise<void>
  /** What this session's next prompt chunk sizes itself against (see chunk-sizing.ts). */
  estimate(): RoundEstimate
  /** The generation ended (finished, aborted, failed); the others stop waiting for it. Idempotent. */
  leave(): void
}

interface Participant {
  phase: Phase
  work: RoundWork
  /**
   * `sampling`: its last decode ended in a sampling (a generating session: a chunk is sized against its plain round);
   * `chunking`: evaluating a prompt in chunks; `new`: no decode yet.
   */
  role: 'new' | 'sampling' | 'chunking'
  resume?: () => void
}

/** Weight of the newest round in the running averages. */
const ROUND_WEIGHT = 0.2
/** A plain-round time not refreshed for this many rounds is not trusted: a prompt sits out a round to refresh it. */
export const STALE_ROUNDS = 32

/** A session sitting out, since the round count `since`. */
interface Sitter {
  readonly since: number
  readonly wake: () => void
}

interface Timed {
  ms: number
  round: number
}

/** The lock-step coordinator of one context's sessions. */
export class DecodeRounds {
  private readonly participants = new Set<Participant>()
  private readonly graceMs: number
  private readonly now: () => number
  private graceTimer: NodeJS.Timeout | undefined
  private releaseScheduled = false
  private rounds = 0
  /** Sessions released in the current round whose decode has not returned. */
  private readonly inFlight = new Set<Participant>()
  private roundStarted = 0
  private roundWork: { promptTokens: number; samplers: number; chunk: boolean } = { promptTokens: 0, samplers: 0, chunk: false }
  /** Plain-round times by the number of sessions sampling in the round. */
  private readonly plain = new Map<number, Timed>()
  private tokenMs: number | undefined
  private readonly sitters = new Set<Sitter>()

  constructor(options: DecodeRoundsOptions = {}) {
    this.graceMs = options.graceMs ?? 20
    this.now = options.now ?? (() => performance.now())
  }

  /** Sessions taking part now (generating or evaluating a prompt). */
  get active(): number {
    return this.participants.size
  }

  /** Rounds released so far (for diagnostics and tests). */
  get released(): number {
    return this.rounds
  }

  /** What `self`'s next chunk sizes itself against: the plain round of the other sessions generating now. */
  private estimateWithout(self: Participant): RoundEstimate {
    let samplers = 0
    for (const p of this.participants) if (p !== self && p.role === 'sampling' && p.phase !== 'away') samplers++
    const timed = this.plain.get(samplers)
    const fresh = timed !== undefined && this.rounds - timed.round <= STALE_ROUNDS
    return { generating: samplers, plainMs: fresh ? timed.ms : undefined, promptTokenMs: this.tokenMs }
  }

  /** Joins the rounds for one generation. The session joins in the phase `consuming` until its first `turn`. */
  join(): RoundTicket {
    const participant: Participant = { phase: 'consuming', work: PLAIN_WORK, role: 'new' }
    this.participants.add(participant)
    let left = false
    return {
      turn: (work = PLAIN_WORK) =>
        new Promise<void>((resolve) => {
          participant.phase = 'waiting'
          participant.work = work
          participant.role = work.samples ? 'sampling' : 'chunking'
          participant.resume = resolve
          this.check()
        }),
      decoded: () => {
        participant.phase = 'consuming'
        this.landed(participant)
        this.check()
      },
      sitOut: () =>
        new Promise<void>((resolve) => {
          participant.phase = 'sitting'
          participant.role = 'chunking'
          const sitter: Sitter = {
            since: this.rounds,
            wake: () => {
              clearTimeout(timer)
              if (!this.sitters.delete(sitter)) return
              if (participant.phase === 'sitting') participant.phase = 'consuming'
              resolve()
            },
          }
          // Nothing released within the grace period: the others' consumers are busy, so there is nothing to time.
          const timer = setTimeout(() => {
            if (this.rounds === sitter.since) sitter.wake()
          }, this.graceMs)
          this.sitters.add(sitter)
          this.check()
        }),
      estimate: () => this.estimateWithout(participant),
      leave: () => {
        if (left) return
        left = true
        this.participants.delete(participant)
        this.landed(participant)
        // A session that leaves while waiting (disposed) is let go so that nothing hangs on it.
        participant.resume?.()
        participant.resume = undefined
        this.check()
      },
    }
  }

  /** Releases the round when nobody is decoding or consuming; starts the grace period when only consumers remain. */
  private check(): void {
    let waiting = 0
    let decoding = 0
    let present = 0
    for (const p of this.participants) {
      if (p.phase === 'waiting') waiting++
      else if (p.phase === 'decoding') decoding++
      if (p.phase !== 'away' && p.phase !== 'sitting') present++
    }
    // Sitting out is pointless with nobody left to time.
    if (present === 0 && decoding === 0) this.wakeSitters()
    if (waiting === 0 || decoding > 0) return this.stopGrace()
    if (waiting === present) {
      this.stopGrace()
      // Alone, there is nothing to coalesce: go at once (no macrotask hop on the single-session path).
      if (present === 1) return this.release()
      if (!this.releaseScheduled) {
        this.releaseScheduled = true
        setImmediate(() => {
          this.releaseScheduled = false
          this.release()
        })
      }
      return
    }
    if (this.graceTimer === undefined) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined
        for (const p of this.participants) if (p.phase === 'consuming') p.phase = 'away'
        this.release()
      }, this.graceMs)
    }
  }

  private stopGrace(): void {
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer)
    this.graceTimer = undefined
  }

  /** Wakes the sessions sitting out; with `released`, only those that sat down before the round that just ended. */
  private wakeSitters(released?: number): void {
    for (const sitter of [...this.sitters]) if (released === undefined || sitter.since < released) sitter.wake()
  }

  /** Lets every waiting session queue its decode now. */
  private release(): void {
    const ready = [...this.participants].filter((p) => p.phase === 'waiting')
    if (ready.length === 0) return
    this.rounds++
    this.inFlight.clear()
    const work = { promptTokens: 0, samplers: 0, chunk: false }
    for (const p of ready) {
      this.inFlight.add(p)
      work.promptTokens += p.work.promptTokens
      if (p.work.samples) work.samplers++
      else work.chunk = true
    }
    this.roundWork = work
    this.roundStarted = this.now()
    for (const p of ready) {
      p.phase = 'decoding'
      const resume = p.resume
      p.resume = undefined
      resume?.()
    }
  }

  /** One decode of the round is back; the last one ends the round's timing. */
  private landed(participant: Participant): void {
    if (!this.inFlight.delete(participant) || this.inFlight.size > 0) return
    const ms = this.now() - this.roundStarted
    const { promptTokens, samplers, chunk } = this.roundWork
    if (promptTokens === 0 && samplers > 0) {
      const timed = this.plain.get(samplers)
      // A refresh after a stale stretch starts over: the old figure is from other positions or another load.
      const fresh = timed !== undefined && this.rounds - timed.round <= STALE_ROUNDS
      this.plain.set(samplers, { ms: fresh ? timed.ms + ROUND_WEIGHT * (ms - timed.ms) : ms, round: this.rounds })
    } else if (chunk) {
      // Only rounds with a chunk beside generating sessions: a generation's first decode and a prompt alone (a whole
      // prompt in one batch) cost far less per token than a chunk of a few tokens.
      const plain = samplers > 0 ? this.plain.get(samplers)?.ms : undefined
      if (plain !== undefined && ms > plain) {
        const perToken = (ms - plain) / promptTokens
        this.tokenMs = this.tokenMs === undefined ? perToken : this.tokenMs + ROUND_WEIGHT * (perToken - this.tokenMs)
      }
    }
    // Sessions that sat out this round were waiting for its figure (or, had it a chunk of another prompt, for its end).
    this.wakeSitters(this.rounds)
  }
}
