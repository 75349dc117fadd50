/**
 * The one dialogue every contender runs: the same human lines, tool calls at fixed turns, the same sampling seed.
 * Random-weight models cannot follow MOSS on their own, so the model's output is forced into shape by grammars:
 * the first generation of every turn is an exact thought + commands text, and each answer is free text of a fixed
 * length closed by `<eom>` (sampled, so per-token costs are real, but the dialogue has the same shape everywhere).
 */
import type { SamplingOptions } from '../src/backends/types.js'

/** One scripted turn. */
export interface ScriptTurn {
  /** What the user writes. */
  readonly human: string
  /** The forced command, or `undefined` for a turn without tool calls. */
  readonly call?: { readonly command: 'Calculate' | 'Solve'; readonly input: string }
}

const LINES: readonly ScriptTurn[] = [
  { human: 'Hello! Who are you?' },
  { human: 'What is 12*3?', call: { command: 'Calculate', input: '12*3' } },
  { human: '请介绍一下你自己。' },
  { human: 'Tell me something about the moon.' },
  { human: 'Solve x^2-4=0 for me.', call: { command: 'Solve', input: 'x^2-4=0' } },
  { human: 'Thanks. What should I read next?' },
  { human: 'Can you write two lines about rain?' },
  { human: '（３＋４）×５ 等于多少？', call: { command: 'Calculate', input: '(3+4)*5' } },
  { human: 'Summarise our talk so far.' },
  { human: 'Goodbye!' },
]

/** The script's commands and the name of their single parameter (the plugins' JSON schemas). */
export const CALL_PARAMETER: Readonly<Record<string, string>> = { Calculate: 'expression', Solve: 'equation' }

/** The first `turns` turns of the script (the 10 lines repeat for longer runs). */
export function dialogueScript(turns: number): ScriptTurn[] {
  return Array.from({ length: turns }, (_, i) => LINES[i % LINES.length] as ScriptTurn)
}

/** Thought text of the forced first generation. */
export const FORCED_THOUGHT = 'I follow the script.'

/** The exact text of a turn's first generation (after the `<|Inner Thoughts|>:` prefill), `<eoc>` included. */
export function firstGenerationText(turn: ScriptTurn): string {
  const commands = turn.call ? `${turn.call.command}("${turn.call.input}")` : 'None'
  return ` ${FORCED_THOUGHT}<eot>\n<|Commands|>: ${commands}<eoc>`
}

function gbnfLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** GBNF forcing the first generation of a turn. */
export function firstGenerationGrammar(turn: ScriptTurn): string {
  return `root ::= ${gbnfLiteral(firstGenerationText(turn))}\n`
}

/**
 * GBNF of an answer: exactly `chars` characters other than `<` and a line break, then `<eom>`. The leading space
 * is MOSS's (`<|MOSS|>: answer`).
 */
export function answerGrammar(chars: number): string {
  return `root ::= " " [^<\\n]{${chars}} "<eom>"\n`
}

/**
 * GBNF of an answer that never ends (a right-recursive rule without a base case never completes, so no
 * end-of-generation token is allowed): throughput measurements stop at their token count on trained models too,
 * which would otherwise end at `<eom>` after a few tokens.
 */
export const ENDLESS_ANSWER_GRAMMAR = 'root ::= " " rest\nrest ::= [^<\\n] rest\n'

/** MOSS demo sampling with a fixed seed: the same for every contender. */
export function benchSampling(seed: number): Required<SamplingOptions> {
  return { temperature: 0.7, topP: 0.8, topK: 40, repeatPenalty: 1.02, seed }
}

/** Tokens the repetition penalty looks back on (as the local backend does). */
export const REPEAT_WINDOW = 64

/** Upper bound of tokens for one forced answer (a character can be a whole token). */
export function answerTokenLimit(chars: number): number {
  return chars + 16
}
