/**
 * Drives the generations of one MOSS turn:
 * 1. thought and commands (prefill `<|Inner Thoughts|>:`, stops `<eoc>` `<eom>` `<eor>`), commands parsed;
 * 2. after the calls, the results block and the answer (prefill `<|MOSS|>:`, stop `<eom>`).
 * Off-format output is repaired through `rewrite`: the replacement of the step's whole generated text, its closing
 * marker included, so that the transcript always has MOSS's exact layout.
 */
import type { GenerateOutcome, PromptPart } from '../../prompt.js'
import type { FormatPlugins, GenerationStep, StepDecision, ToolCall, ToolResult, TurnDriver, TurnRecord } from '../types.js'
import { parseMossCommands } from './commands.js'
import { mossCommandsBoundsFor, mossCommandsSpan } from './grammar.js'
import { MOSS_DROPPED_RESULTS, MOSS_EMPTY_RESULTS, MOSS_END, MOSS_FORCED_COMMANDS_TOKENS, MOSS_NONE, MOSS_ROLE } from './markers.js'
import { orderMossResults, renderMossResults } from './results.js'
import { createMossScanner, scanMoss, type MossScan } from './scanner.js'
import { answerText, resultsParts, thoughtAndCommandsText, TURN_CLOSE } from './turn-parts.js'

/** Stop markers of the first generation: `<eot>` is not one (the commands follow it in the same generation). */
export const MOSS_FIRST_STOPS: readonly string[] = [MOSS_END.commands, MOSS_END.answer, MOSS_END.results]
/** Stop markers of the answer generation. */
export const MOSS_ANSWER_STOPS: readonly string[] = [MOSS_END.answer]

/** Options of {@link createMossTurnDriver}. */
export interface MossTurnOptions {
  readonly human: string
  readonly plugins: FormatPlugins
  /** Turns before this one (call ids are `call_{previous + 1}_{n}`). */
  readonly previous: number
  /** Constrain the commands span with a grammar. Defaults to `true`. */
  readonly constrainCommands?: boolean
}

function answerStep(): GenerationStep {
  return { stop: MOSS_ANSWER_STOPS, scanner: createMossScanner('answer') }
}

function generatedAs(text: string, outcome: GenerateOutcome): string {
  return outcome.reason === 'stop' && outcome.stop !== undefined ? text + outcome.stop : text
}

/** Creates the driver of one turn. With no plugin enabled the turn is a single answer generation. */
export function createMossTurnDriver(options: MossTurnOptions): TurnDriver {
  const withPlugins = options.plugins.some((p) => p.enabled)
  const state: {
    thought?: string
    commands?: string
    results: ToolResult[]
    resultsText?: string
    answer: string
    pending?: { calls: readonly ToolCall[]; rejected: readonly ToolResult[]; written: readonly string[] }
  } = withPlugins ? { results: [], answer: '' } : { thought: MOSS_NONE, commands: MOSS_NONE, resultsText: MOSS_DROPPED_RESULTS, results: [], answer: '' }

  const firstStep: GenerationStep = withPlugins
    ? {
        stop: MOSS_FIRST_STOPS,
        scanner: createMossScanner('thought'),
        ...(options.constrainCommands !== false ? { constrain: mossCommandsSpan(options.plugins) } : {}),
      }
    : answerStep()

  const finishAnswer = (text: string, outcome: GenerateOutcome, prefix = ''): StepDecision => {
    const scan = scanMoss(text, 'answer')
    const clean = scan.haltedOn !== undefined || outcome.reason !== 'stop' ? (scan.answer ?? '').trimEnd() : (scan.answer ?? '')
    state.answer = clean
    const canonical = prefix + answerText(clean)
    const rewrite = canonical !== generatedAs(text, outcome) || prefix !== '' ? canonical : undefined
    return { type: 'done', answer: clean, parts: TURN_CLOSE, ...(rewrite !== undefined ? { rewrite } : {}) }
  }

  /** Set when the first generation ran out of tokens inside the thought and the commands span was forced. */
  let forced = false

  const afterFirst = (text: string, outcome: GenerateOutcome): StepDecision => {
    const scan = scanMoss(text, 'thought')
    const repaired = !scan.thoughtClosed || scan.haltedOn !== undefined || outcome.reason !== 'stop'
    const thought = repaired ? (scan.thought ?? '').trimEnd() : (scan.thought ?? '')
    state.thought = thought
    if (outcome.reason === 'max-tokens' && scan.endedIn === 'thought' && firstStep.constrain !== undefined) {
      // The thought ran to the token limit: close it and let the grammar write the commands span, so that a
      // constrained turn always has a valid commands span instead of failing. The span's grammar is bounded to what
      // its budget holds, so a grammar-honouring backend always reaches `<eoc>`.
      forced = true
      return {
        type: 'continue',
        parts: [],
        step: {
          stop: [MOSS_END.commands],
          scanner: createMossScanner('commands'),
          constrain: mossCommandsSpan(options.plugins, mossCommandsBoundsFor(options.plugins, MOSS_FORCED_COMMANDS_TOKENS)),
          maxTokens: MOSS_FORCED_COMMANDS_TOKENS,
        },
        rewrite: ` ${thought}${MOSS_END.thought}\n${MOSS_ROLE.commands}`,
      }
    }
    if (scan.endedIn === 'answer') {
      // The model skipped the commands and answered: keep the answer, write the missing `None` segments.
      state.commands = MOSS_NONE
      state.resultsText = MOSS_EMPTY_RESULTS
      const prefix = `${thoughtAndCommandsText(thought, MOSS_NONE)}\n${MOSS_EMPTY_RESULTS}${MOSS_ROLE.answer}`
      const answerOnly = text.slice(text.indexOf(MOSS_ROLE.answer) + MOSS_ROLE.answer.length)
      return finishAnswer(answerOnly, outcome, prefix)
    }
    return decideCommands(scan, text, outcome, (commands) => thoughtAndCommandsText(thought, commands))
  }

  /**
   * The commands of the forced span (the thought was closed by the format). A span cut by its budget anyway (the
   * agent's per-generation budget is smaller, or the backend ignores grammars) is closed deterministically as `None`:
   * a cut call is never run.
   */
  const afterForcedCommands = (text: string, outcome: GenerateOutcome): StepDecision => {
    const scan = outcome.reason === 'max-tokens' ? scanMoss(` ${MOSS_NONE}`, 'commands') : scanMoss(text, 'commands')
    return decideCommands(scan, text, outcome, (commands) => ` ${commands}${MOSS_END.commands}`)
  }

  /** Parses the commands a generation wrote; `canonicalOf` is that generation's canonical text for given commands. */
  const decideCommands = (scan: MossScan, text: string, outcome: GenerateOutcome, canonicalOf: (commands: string) => string): StepDecision => {
    const raw = scan.commands ?? MOSS_NONE
    const parsed = parseMossCommands(raw, options.plugins, { idPrefix: `call_${options.previous + 1}_` })
    if (parsed.none) {
      state.commands = MOSS_NONE
      state.resultsText = MOSS_EMPTY_RESULTS
      const canonical = canonicalOf(MOSS_NONE)
      const rewrite = canonical !== generatedAs(text, outcome) ? canonical : undefined
      return { type: 'continue', parts: resultsParts(MOSS_EMPTY_RESULTS), step: answerStep(), ...(rewrite !== undefined ? { rewrite } : {}) }
    }
    const commands = parsed.canonical ?? (scan.haltedOn !== undefined || outcome.reason !== 'stop' ? raw.trim() : raw)
    state.commands = commands
    state.pending = { calls: parsed.calls, rejected: parsed.rejected, written: parsed.written.map((c) => c.id) }
    const canonical = canonicalOf(commands)
    const rewrite = canonical !== generatedAs(text, outcome) ? canonical : undefined
    return { type: 'calls', calls: parsed.calls, rejected: parsed.rejected, ...(rewrite !== undefined ? { rewrite } : {}) }
  }

  let step = 0
  return {
    firstStep,
    afterGeneration(text: string, outcome: GenerateOutcome): StepDecision {
      step++
      if (step === 1 && withPlugins) return afterFirst(text, outcome)
      if (step === 2 && forced) return afterForcedCommands(text, outcome)
      return finishAnswer(text, outcome)
    },
    results(results: readonly ToolResult[]): { readonly parts: readonly PromptPart[]; readonly step: GenerationStep } {
      const pending = state.pending ?? { calls: [], rejected: [], written: [] }
      const given = new Set(results.map((r) => r.call.id))
      // The rejected calls are rendered even when the caller passes only the results of the calls it ran.
      const all = [...results, ...pending.rejected.filter((r) => !given.has(r.call.id))]
      const rendered = renderMossResults(all, { rejected: new Set(pending.rejected.map((r) => r.call.id)), writtenOrder: pending.written })
      state.results = orderMossResults(all, pending.written)
      state.resultsText = rendered.text
      state.pending = undefined
      return { parts: resultsParts(rendered.text), step: answerStep() }
    },
    record(): TurnRecord {
      return {
        human: options.human,
        ...(state.thought !== undefined ? { thought: state.thought } : {}),
        ...(state.commands !== undefined ? { commands: state.commands } : {}),
        results: state.results,
        ...(state.resultsText !== undefined ? { resultsText: state.resultsText } : {}),
        answer: state.answer,
      }
    },
  }
}
