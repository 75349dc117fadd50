/**
 * The scripted dialogue in the `qwen` format (issue 18, item 3): the same human lines and tool calls as the MOSS
 * dialogue (bench/dialogue.ts). A tool turn's first generation is forced by a grammar engaged from its first token
 * (the trigger is the `<|im_start|>assistant\n` prompt tail) to the exact canonical `<tool_call>` block of the scripted
 * call, as the Qwen template renders it, so the format never rewrites it. Answers are the format's own steps (no
 * grammar, as with a real Qwen model) capped at a fixed number of tokens: a random model never writes `<|im_end|>`,
 * and forcing it by grammar would make llama.cpp check the whole 151,936-token vocabulary at the end of every answer
 * (and at each token that overshoots a character count) — a cost of the forcing, not of either library, that
 * LlamaChatSession, whose answers are stopped by its abort signal, would not pay.
 */
import { createQwenFormat } from '../src/formats/index.js'
import type { DialogueFormat, GenerationStep, StepDecision, TurnDriver } from '../src/formats/types.js'
import { pythonJson } from '../src/formats/common/py-json.js'
import { gbnfLiteral } from '../src/formats/common/call-grammar.js'
import { CALL_PARAMETER } from './dialogue.js'
import type { ScriptTurn } from './dialogue.js'

/** The system text both contenders of the same-format comparison use (LlamaChatSession's `systemPrompt`). */
export const SAME_FORMAT_SYSTEM = 'You are a helpful assistant.'

const ASSISTANT = '<|im_start|>assistant\n'
const END = '<|im_end|>'

/** The exact text of a tool turn's first generation: the call block as the Qwen template renders it, then `<|im_end|>`. */
export function qwenCallText(call: NonNullable<ScriptTurn['call']>): string {
  const argument = CALL_PARAMETER[call.command] ?? 'input'
  return `<tool_call>\n{"name": "${call.command}", "arguments": ${pythonJson({ [argument]: call.input })}}\n</tool_call>${END}`
}

/** Tokens of every answer, for answers of about `chars` characters (the random Qwen3-vocabulary model writes ~4 per token). */
export function qwenAnswerTokens(chars: number): number {
  return Math.max(2, Math.round(chars / 4))
}

/**
 * The `qwen` format (Qwen3 variant, the default) with the scripted calls forced and answers capped at `answerTokens`.
 * Everything else — system block with the tools, the answer steps' own call span, call parsing and validation,
 * `<tool_response>` results, history — is the format's own.
 */
export function forcedQwenFormat(script: readonly ScriptTurn[], answerTokens: number, system = SAME_FORMAT_SYSTEM): DialogueFormat {
  const inner = createQwenFormat({ system })
  const answer = (step: GenerationStep): GenerationStep => ({ ...step, maxTokens: answerTokens })
  return {
    ...inner,
    beginTurn(human, plugins, previous) {
      const turn = script[previous % script.length] as ScriptTurn
      const { parts, driver } = inner.beginTurn(human, plugins, previous)
      const first: GenerationStep = turn.call
        ? { ...driver.firstStep, constrain: { trigger: ASSISTANT, gbnf: `root ::= ${gbnfLiteral(qwenCallText(turn.call))}\n` } }
        : answer(driver.firstStep)
      const forced: TurnDriver = {
        firstStep: first,
        afterGeneration(text, outcome): StepDecision {
          const decision = driver.afterGeneration(text, outcome)
          return decision.type === 'continue' ? { ...decision, step: answer(decision.step) } : decision
        },
        results(results) {
          const next = driver.results(results)
          return { parts: next.parts, step: answer(next.step) }
        },
        record: () => driver.record(),
      }
      return { parts, driver: forced }
    },
  }
}
