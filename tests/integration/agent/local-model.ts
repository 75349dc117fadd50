/**
 * Helpers of the agent tests on the random test model: checks over what a RecordingBackend logged of each model
 * session, and a MOSS format whose grammar spans pin what a random model cannot write by itself.
 */
import type { LlamaCppSession } from '../../../src/backends/llama-cpp/index.js'
import type { PromptPart } from '../../../src/backends/types.js'
import type { RecordingSession } from '../../../src/testing/index.js'
import { MOSS_ROLE, createMossFormat } from '../../../src/formats/index.js'
import type { DialogueFormat, GenerationStep, MossFormatOptions, TurnDriver } from '../../../src/formats/index.js'

/** One generation of a spied session, with the tokens the "append only" rule says it may evaluate. */
export interface GenerationCheck {
  readonly evaluated: number
  /** Tokens of everything appended since the previous generation, plus the one held-back token. */
  readonly appendedPlusHeld: number
  /** Whether a `reset` happened since the previous generation (the rule does not apply then). */
  readonly afterReset: boolean
}

/**
 * Walks a session's log from `from` and pairs every generation with the tokens appended since the generation
 * before it. On a session that only ever appends, each generation evaluates exactly those tokens plus one: the
 * token the previous generation sampled last and held back (or the BOS of a new transcript: `firstHeld`, default 1,
 * is 0 for a model that adds no BOS, like Qwen3).
 */
export function generationChecks(session: RecordingSession<LlamaCppSession>, from = 0, firstHeld = 1): GenerationCheck[] {
  const checks: GenerationCheck[] = []
  let pending: PromptPart[] = []
  let afterReset = false
  for (const call of session.log.slice(from)) {
    if (call.kind === 'append') pending.push(...call.parts)
    else if (call.kind === 'reset') afterReset = true
    else if (call.kind === 'generate') {
      const held = checks.length === 0 && from === 0 ? firstHeld : 1
      checks.push({ evaluated: call.evaluated, appendedPlusHeld: session.countTokens(pending) + held, afterReset })
      pending = []
      afterReset = false
    }
  }
  return checks
}

/** Options of {@link forcedMossFormat}. */
export interface ForcedMossOptions extends MossFormatOptions {
  /** The thought the first generation writes before `<eot>`. */
  readonly thought: string
  /** Replaces the `arg` rule of the format's own commands grammar (GBNF), e.g. `"\"2+3\""`. */
  readonly argRule: string
  /** GBNF of the answer, after `<|MOSS|>:`, closed by `<eom>`. */
  readonly answerGbnf: string
  /**
   * Drop `None` from the commands grammar, so that the span holds one to four calls whatever the random weights
   * prefer (a test must not depend on the float path of a random model). Defaults to `false`.
   */
  readonly callsOnly?: boolean
}

/**
 * The real MOSS format (commands grammar on), with two test-only changes to what the model is allowed to write.
 * A random-weight model never writes `<|Commands|>:` by itself, so the format's commands span would never engage;
 * here the span starts at the `<|Inner Thoughts|>:` prefill, writes a fixed thought, and then follows the format's
 * own commands grammar — built from the enabled plugins — with only its `arg` rule pinned (a random model would
 * otherwise fill the argument until the token budget runs out). The answer gets a small grammar closed by `<eom>`,
 * so the model ends it cleanly. Everything else (parsing, results, records, history) is the real format.
 */
export function forcedMossFormat(options: ForcedMossOptions): DialogueFormat {
  const { thought, argRule, answerGbnf, callsOnly = false, ...formatOptions } = options
  const base = createMossFormat(formatOptions)
  const answerSpan = { trigger: MOSS_ROLE.answer, gbnf: answerGbnf }
  const withAnswerGrammar = (step: GenerationStep): GenerationStep => ({ ...step, constrain: answerSpan })

  function forceDriver(driver: TurnDriver): TurnDriver {
    const span = driver.firstStep.constrain
    if (span === undefined) return driver // no plugin enabled, or constraining is off: nothing to steer
    const pinned = span.gbnf.replace(/^root ::=/m, 'commands ::=').replace(/^arg ::= .*$/m, `arg ::= ${argRule}`)
    const commands = callsOnly ? pinned.replace(/^body ::= "None" \| /m, 'body ::= ') : pinned
    const gbnf = `root ::= " ${thought}<eot>\\n${MOSS_ROLE.commands}" commands\n${commands}`
    return {
      firstStep: { ...driver.firstStep, constrain: { trigger: MOSS_ROLE.thought, gbnf } },
      afterGeneration(text, outcome) {
        const decision = driver.afterGeneration(text, outcome)
        return decision.type === 'continue' ? { ...decision, step: withAnswerGrammar(decision.step) } : decision
      },
      results(results) {
        const next = driver.results(results)
        return { parts: next.parts, step: withAnswerGrammar(next.step) }
      },
      record: () => driver.record(),
    }
  }

  return {
    name: base.name,
    renderSystem: (plugins) => base.renderSystem(plugins),
    renderHistory: (plugins, turns, history) => base.renderHistory(plugins, turns, history),
    beginTurn(human, plugins, previous) {
      const { parts, driver } = base.beginTurn(human, plugins, previous)
      return { parts, driver: forceDriver(driver) }
    },
  }
}

/** The production command check of MOSS (moss-protocol.md §4). */
export const MOSS_COMMANDS_CHECK = /^\w+\("([\s\S]+?)"\)(, *?\w+\("([\s\S]+?)"\))*$/

/** Options of {@link forcedCallFormat}. */
export interface ForcedCallOptions {
  /** The text every assistant generation starts after (the format's assistant prefill, e.g. `<|im_start|>assistant\n`). */
  readonly trigger: string
  /** GBNF of the first generation: the tool call in the format's own syntax, closed by its end marker. */
  readonly callGbnf: string
  /** GBNF of the generation after the results: the answer, closed by the end marker. */
  readonly answerGbnf: string
}

/**
 * A JSON-call format (ChatML/Hermes, and the native formats) with its first generation forced to a tool call and its
 * answer to a small grammar: a random model never writes a call by itself. Rendering, parsing, validation, results
 * and records are the real format's.
 */
export function forcedCallFormat(base: DialogueFormat, options: ForcedCallOptions): DialogueFormat {
  const constrain = (gbnf: string): GenerationStep['constrain'] => ({ trigger: options.trigger, gbnf })
  return {
    name: base.name,
    renderSystem: (plugins) => base.renderSystem(plugins),
    renderHistory: (plugins, turns, history) => base.renderHistory(plugins, turns, history),
    beginTurn(human, plugins, previous) {
      const { parts, driver } = base.beginTurn(human, plugins, previous)
      const forced: TurnDriver = {
        firstStep: { ...driver.firstStep, constrain: constrain(options.callGbnf) },
        afterGeneration(text, outcome) {
          const decision = driver.afterGeneration(text, outcome)
          return decision.type === 'continue' ? { ...decision, step: { ...decision.step, constrain: constrain(options.answerGbnf) } } : decision
        },
        results(results) {
          const next = driver.results(results)
          return { parts: next.parts, step: { ...next.step, constrain: constrain(options.answerGbnf) } }
        },
        record: () => driver.record(),
      }
      return { parts, driver: forced }
    },
  }
}
