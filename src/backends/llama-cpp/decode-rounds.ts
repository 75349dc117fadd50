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
 */

/**
 * Where one participating session is in the current round. `away`: it kept the others waiting past the grace period
 * (a slow reader, or a generator its consumer abandoned); nobody waits for it again until it asks for a turn.
 */
type Phase = 'waiting' | 'decoding' | 'consuming' | 'away'

/** Options of {@link DecodeRounds}. */
export interface DecodeRoundsOptions {
  /**
   * How long sessions that are ready wait for one that has its token but has not come back (its consumer is busy),
   * ms. Defaults to `20`: far above the microseconds a consumer normally takes, far below a human-noticeable stall.
   */
  readonly graceMs?: number
}

/** A participant's handle: one per generation. */
export interface RoundTicket {
  /** Resolves when this session may queue its next decode; `prompt` marks a prompt chunk (not a generated token). */
  turn(prompt?: boolean): Promise<void>
  /** The decode asked for by the last `turn` has returned; the session is handing its result on. */
  decoded(): void
  /** The generation ended (finished, aborted, failed); the others stop waiting for it. Idempotent. */
  leave(): void
}

interface Participant {
  phase: Phase
  prompt: boolean
  resume?: () => void
}

/** Weight of the newest round in the running average of plain rounds. */
const PLAIN_ROUND_WEIGHT = 0.2

/** The lock-step coordinator of one context's sessions. */
export class DecodeRounds {
  private readonly participants = new Set<Participant>()
  private readonly graceMs: number
  private graceTimer: NodeJS.Timeout | undefined
  private releaseScheduled = false
  private rounds = 0
  private roundStarted: number | undefined
  private roundHadPrompt = false
  private plainMs: number | undefined

  constructor(options: DecodeRoundsOptions = {}) {
    this.graceMs = options.graceMs ?? 20
  }

  /** Sessions taking part now (generating or evaluating a prompt). */
  get active(): number {
    return this.participants.size
  }

  /**
   * Running average of the wall time of rounds without a prompt chunk (release to everyone back), ms; `undefined`
   * before the first one. A prompt chunk sizes itself against it (see lockstep-evaluate.ts).
   */
  get plainRoundMs(): number | undefined {
    return this.plainMs
  }

  /** Rounds released so far (for diagnostics and tests). */
  get released(): number {
    return this.rounds
  }

  /** Joins the rounds for one generation. The session joins in the phase `consuming` until its first `turn`. */
  join(): RoundTicket {
    const participant: Participant = { phase: 'consuming', prompt: false }
    this.participants.add(participant)
    let left = false
    return {
      turn: (prompt = false) =>
        new Promise<void>((resolve) => {
          participant.phase = 'waiting'
          participant.prompt = prompt
          participant.resume = resolve
          this.check()
        }),
      decoded: () => {
        participant.phase = 'consuming'
        this.check()
      },
      leave: () => {
        if (left) return
        left = true
        this.participants.delete(participant)
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
      if (p.phase !== 'away') present++
    }
    if (waiting === 0 || decoding > 0) return this.stopGrace()
    if (waiting === present) {
      this.stopGrace()
      this.endRound()
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

  /** Folds the round that just ended into the plain-round average (rounds with more than one session, no prompt). */
  private endRound(): void {
    if (this.roundStarted === undefined) return
    const ms = performance.now() - this.roundStarted
    this.roundStarted = undefined
    if (this.roundHadPrompt) return
    this.plainMs = this.plainMs === undefined ? ms : this.plainMs + PLAIN_ROUND_WEIGHT * (ms - this.plainMs)
  }

  /** Lets every waiting session queue its decode now. */
  private release(): void {
    const ready = [...this.participants].filter((p) => p.phase === 'waiting')
    if (ready.length === 0) return
    this.rounds++
    this.roundHadPrompt = ready.some((p) => p.prompt)
    // Only shared rounds are timed: a lone session's round has nobody to keep waiting.
    this.roundStarted = ready.length > 1 ? performance.now() : undefined
    for (const p of ready) {
      p.phase = 'decoding'
      const resume = p.resume
      p.resume = undefined
      resume?.()
    }
  }
}
