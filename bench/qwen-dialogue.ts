/**
 * The scripted dialogue in the `qwen` format (issue 18, item 3): the same human lines and tool calls as the MOSS
 * dialogue (bench/dialogue.ts), forced the way the MOSS dialogue is, so a random-weight model writes it. Every
 * generation is engaged from its first token (the trigger is the `<|im_start|>assistant\n` prompt tail): a tool turn's
 * first generation is the exact canonical `<tool_call>` block of the scripted call (as the Qwen template renders it,
 * so the format never rewrites it), and every answer is sampled text of a fixed number of characters closed by
 * `<|im_end|>`.
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

/**
 * GBNF of an answer: exactly `chars` characters other than `<` and a line break, neither first nor last a space (the
 * format trims the answer and would rewrite the message otherwise), then `<|im_end|>`.
 */
export function qwenAnswerGrammar(chars: number): string {
  const edge = '[^<\\n \\t]'
  const middle = Math.max(0, chars - 2)
  return `root ::= ${edge} [^<\\n]{${middle}} ${edge} ${gbnfLiteral(END)}\n`
}

/**
 * The `qwen` format (Qwen3 variant, the default) with every generation forced by the script. Everything else —
 * system block with the tools, call parsing and validation, `<tool_response>` results, history — is the format's own.
 */
export function forcedQwenFormat(script: readonly ScriptTurn[], answerChars: number, system = SAME_FORMAT_SYSTEM): DialogueFormat {
  const inner = createQwenFormat({ system })
  const answer = (step: GenerationStep): GenerationStep => ({ ...step, constrain: { trigger: ASSISTANT, gbnf: qwenAnswerGrammar(answerChars) } })
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
