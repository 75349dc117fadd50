import type { BackendStats, PromptPart, SamplingOptions } from '../backends/types.js'
import { AbortedError, BackendError, BudgetExceededError, InvalidInputError, MossError, describeError } from '../errors.js'
import type { GenerationStep, TurnDriver } from '../formats/types.js'
import type { PluginLogger } from '../plugins/types.js'
import type { ResolvedBudgets } from './budgets.js'
import { generateStep } from './generate-step.js'
import { runCalls } from './run-calls.js'
import type { SessionCore } from './session-core.js'
import type { AgentEvent, TurnUsage } from './types.js'

/** Fewest tokens a generation is started with when the context cannot hold a whole per-generation budget. */
const MIN_GENERATION_ROOM = 64

/** What a turn needs from its session. */
export interface TurnContext {
  /** The session's transcript, model session and plugins. */
  readonly core: SessionCore
  /** Step, token, time and plugin limits of the turn. */
  readonly budgets: ResolvedBudgets
  /** Per-turn sampling overrides; `undefined` keeps the backend's settings. */
  readonly sampling: SamplingOptions | undefined
  /** The agent's logger, handed on to plugins. */
  readonly logger: PluginLogger
  /** Receives the `turn-finish` of a turn whose consumer stopped iterating early (listeners still learn it ended). */
  readonly notify: (event: AgentEvent) => void
}

function usageSince(before: Readonly<BackendStats>, after: Readonly<BackendStats>): TurnUsage {
  return {
    evaluated: after.evaluated - before.evaluated,
    generated: after.generated - before.generated,
    reused: after.reused - before.reused,
  }
}

/**
 * The mutable state of one turn. A turn either completes (`done` from the driver: the closing parts are appended
 * and a {@link TurnRecord} is recorded) or it is rolled back: on abort, budget, error or a consumer that stopped
 * iterating, the transcript is cut back to where the turn began and nothing is recorded, so the session is exactly
 * as before the turn and the next `send` works. The `turn-finish` of a rolled-back turn has `aborted: true`.
 */
class Turn {
  readonly control = new AbortController()
  readonly started = performance.now()
  readonly statsBefore: Readonly<BackendStats>
  /** Mirror index where this turn's parts begin (moves when history is compressed). */
  turnStart: number
  firstTokenMs: number | undefined
  pluginMs = 0
  streamed = ''
  answer = ''
  recorded = false
  finished = false
  private readonly timer: NodeJS.Timeout
  private readonly onAbort: () => void

  constructor(
    readonly ctx: TurnContext,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.statsBefore = { ...ctx.core.model.stats }
    this.turnStart = ctx.core.mirror.length
    this.onAbort = () => this.control.abort(new AbortedError('The turn was aborted', { cause: signal?.reason }))
    if (signal?.aborted) this.onAbort()
    else signal?.addEventListener('abort', this.onAbort, { once: true })
    const ms = ctx.budgets.maxTurnMs
    this.timer = setTimeout(() => this.control.abort(new BudgetExceededError('time', `The turn took longer than ${ms} ms`)), ms)
  }

  /** Notes timing and streamed text of a delta. */
  observe(event: AgentEvent): void {
    if (this.firstTokenMs === undefined) this.firstTokenMs = performance.now() - this.started
    if (event.type === 'text-delta') this.streamed += event.text
  }

  /** Throws why the turn was stopped, if it was. */
  checkStopped(): void {
    if (this.control.signal.aborted) throw this.control.signal.reason
  }

  /**
   * Appends parts after making room for them plus `reserve` tokens: one generation by default, nothing for the
   * parts that close a finished turn (no generation follows them in this turn; the next turn makes its own room).
   */
  async *append(parts: readonly PromptPart[], reserve = this.ctx.budgets.maxTokensPerGeneration): AsyncGenerator<AgentEvent, void, void> {
    let fitted: Awaited<ReturnType<SessionCore['fit']>>
    try {
      fitted = await this.ctx.core.fit(this.turnStart, parts, reserve)
    } catch (error) {
      // Not even dropping the whole history leaves room for a full generation (a long turn on a small context): go
      // on with a smaller one rather than fail the turn; the backend cuts the generation at the context's end.
      const overflow = error instanceof BackendError && error.code === 'MOSS_ERR_CONTEXT_OVERFLOW'
      if (!overflow || reserve <= MIN_GENERATION_ROOM) throw error
      fitted = await this.ctx.core.fit(this.turnStart, parts, MIN_GENERATION_ROOM)
    }
    if (fitted) {
      this.turnStart = fitted.turnStart
      yield { type: 'history-compressed', ...fitted.report }
    }
    await this.ctx.core.append(parts)
  }

  /** Converts whatever stopped the turn into the error to report (`undefined` for a plain abort). */
  failure(error: unknown): MossError | undefined {
    const reason: unknown = this.control.signal.aborted ? this.control.signal.reason : error
    if (reason instanceof AbortedError) return undefined
    if (MossError.isInstance(reason)) return reason
    return new BackendError(`The turn failed: ${describeError(reason)}`, { cause: reason })
  }

  async rollback(): Promise<void> {
    if (this.recorded) return
    try {
      await this.ctx.core.truncate(this.turnStart)
    } catch (error) {
      this.ctx.logger.error('Could not roll back an unfinished turn', { error: describeError(error) })
    }
  }

  finishEvent(): AgentEvent {
    this.finished = true
    return {
      type: 'turn-finish',
      text: this.recorded ? this.answer : this.streamed,
      usage: usageSince(this.statsBefore, this.ctx.core.model.stats),
      timings: { firstTokenMs: this.firstTokenMs, totalMs: performance.now() - this.started, pluginMs: this.pluginMs },
      aborted: !this.recorded,
    }
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.signal?.removeEventListener('abort', this.onAbort)
    // Stops plugins still running when the consumer walked away.
    if (!this.control.signal.aborted) this.control.abort(new AbortedError('The turn ended'))
  }
}

/** Drives the generations of a turn until the format says it is done. */
async function* steps(turn: Turn, driver: TurnDriver): AsyncGenerator<AgentEvent, void, void> {
  const { core, budgets, sampling, logger } = turn.ctx
  let step: GenerationStep = driver.firstStep
  let stepCount = 0
  let commands = 0
  while (true) {
    if (++stepCount > budgets.maxSteps) {
      throw new BudgetExceededError('steps', `The turn needed more than ${budgets.maxSteps} generations`)
    }
    const maxTokens = Math.min(budgets.maxTokensPerGeneration, step.maxTokens ?? Infinity)
    yield* turn.append([], maxTokens)
    // `yield*` (not manual iteration) so that a consumer's early `return` reaches the backend's generator.
    const { text, outcome } = yield* generateStep(core, step, {
      maxTokens,
      sampling,
      signal: turn.control.signal,
      observe: (event) => turn.observe(event),
    })
    turn.checkStopped()
    if (outcome.reason === 'aborted') throw new AbortedError('The generation was aborted')
    const decision = driver.afterGeneration(text, outcome)
    if (decision.rewrite !== undefined) await core.rewriteLast(decision.rewrite)
    if (outcome.reason === 'max-tokens') {
      // A cut generation the format could close or repair (an answer it closed, a thought it closed before forcing the
      // commands span) still lets the turn go on, with an error event; cut commands cannot continue.
      const error = new BudgetExceededError('tokens', `A generation reached ${budgets.maxTokensPerGeneration} tokens`)
      if (decision.type === 'calls') throw error
      yield { type: 'error', error }
    }
    if (decision.type === 'done') {
      yield* turn.append(decision.parts, 0)
      core.turns.push(driver.record())
      turn.answer = decision.answer
      turn.recorded = true
      return
    }
    if (decision.type === 'continue') {
      yield* turn.append(decision.parts)
      step = decision.step
      continue
    }
    commands += decision.calls.length
    if (commands > budgets.maxCommands) {
      throw new BudgetExceededError('commands', `The turn asked for more than ${budgets.maxCommands} tool calls`)
    }
    const ran = yield* runCalls(core, decision.calls, decision.rejected, { budgets, logger, signal: turn.control.signal })
    turn.pluginMs += ran.ms
    turn.checkStopped()
    const rendered = driver.results(ran.results)
    yield* turn.append(rendered.parts)
    step = rendered.step
  }
}

/**
 * Runs one turn and streams its events: `turn-start`, the turn's work, then always exactly one `turn-finish`
 * (preceded by an `error` event when a budget, the backend or the format failed; a plain abort is not an error).
 * If the consumer stops iterating early, the turn is aborted and rolled back, and listeners get the `turn-finish`.
 */
export async function* runTurn(ctx: TurnContext, input: string, signal?: AbortSignal): AsyncGenerator<AgentEvent, void, void> {
  const turn = new Turn(ctx, signal)
  try {
    yield { type: 'turn-start', turn: ctx.core.turns.length, input }
    try {
      if (input.length > ctx.budgets.maxInputChars) {
        throw new InvalidInputError(`The input has ${input.length} characters (limit ${ctx.budgets.maxInputChars})`)
      }
      turn.checkStopped()
      // `previous` counts every finished turn of the session, trimmed ones included: formats derive call ids from
      // it (MOSS: `call_{previous + 1}_n`), and ids must stay unique within the session after trimming.
      await ctx.core.settleHistory()
      const { parts, driver } = ctx.core.format.beginTurn(input, ctx.core.plugins(), ctx.core.turns.length)
      yield* turn.append(parts)
      yield* steps(turn, driver)
    } catch (error) {
      const failure = turn.failure(error)
      if (failure) yield { type: 'error', error: failure }
    }
    await turn.rollback()
    yield turn.finishEvent()
  } finally {
    turn.dispose()
    if (!turn.finished) {
      await turn.rollback()
      ctx.notify(turn.finishEvent())
    }
  }
}
