/**
 * The constrained span of a Llama 3 message. Llama 3.1/3.2 have no opening tag: a call is the whole assistant message,
 * `{"name": …, "parameters": {…}}` (vLLM's llama3_json parser also takes it after `<|python_tag|>`, and several
 * joined by `; `), and any message that starts otherwise is an answer. So the span starts at the assistant header the
 * prompt ends with and lets the model write either a call — an enabled tool's name and arguments of that tool's JSON
 * Schema, in the spacing the template's `tojson` writes, closed by `<|eot_id|>` — or an answer. The first non-blank
 * characters decide, exactly where the format's scanner decides (`lead-scanner.ts`); once they have chosen an answer
 * the span is released (`releaseWhen`) and the answer is generated without a grammar.
 */
import type { ConstrainedSpan } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'
import { gbnfLiteral } from '../common/call-grammar.js'
import { pythonJson } from '../common/py-json.js'

/**
 * The characters JavaScript's `\s` and `trimStart` take as blank (Unicode White_Space and line terminators, the BOM),
 * as code point ranges: the scanner skips them before deciding, so the grammar's lead skips the same ones — the
 * ideographic space U+3000 included.
 */
export const JS_BLANK_RANGES: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]

const hex = (code: number): string => `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
/** The body of a GBNF character class holding the blank characters. */
const BLANK_CLASS = JS_BLANK_RANGES.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('')

/** What the span is built from: the format's markers and the key its calls put the arguments under. */
export interface Llama3SpanMarkers {
  /** The assistant header every generation starts after: the span's trigger. */
  readonly header: string
  /** The end of a call message (`<|eot_id|>`; an end-of-generation token, cut from the grammar by the backend). */
  readonly end: string
  /** The optional tag before a call (`<|python_tag|>`). */
  readonly pythonTag: string
  /** The arguments' key (`parameters`). */
  readonly argumentsKey: string
}

/**
 * The text after which a message is an answer: blanks, then a character that is neither blank nor `{` nor `<`, or a
 * `<` that does not open a special-token text (`<|python_tag|>`). Kept in step with {@link llama3CallSpan}'s
 * `answer` rule.
 */
export const LLAMA3_ANSWER_LEAD = /^\s*(?:[^\s{<]|<[^|])/

/** Most calls one constrained message holds (as Mistral's constrained list): a model cannot loop on `; ` forever. */
export const LLAMA3_MAX_CALLS_PER_MESSAGE = 8

/** The span for these enabled plugins (`undefined` when there are none). */
export function llama3CallSpan(enabled: readonly Plugin[], markers: Llama3SpanMarkers): ConstrainedSpan | undefined {
  if (enabled.length === 0) return undefined
  const choices = enabled.map((plugin, i) => `${gbnfLiteral(`${pythonJson(plugin.command)}, ${pythonJson(markers.argumentsKey)}: `)} args-${i}`)
  const gbnf = [
    `root ::= answer | calls | ${gbnfLiteral(markers.pythonTag)} calls`,
    `calls ::= call ( ${gbnfLiteral('; ')} call ){0,${LLAMA3_MAX_CALLS_PER_MESSAGE - 1}} ${gbnfLiteral(markers.end)}`,
    `call ::= ${gbnfLiteral('{"name": ')} ( ${choices.join(' | ')} ) "}"`,
    `answer ::= [${BLANK_CLASS}]* ( ( [^${BLANK_CLASS}{<] | "<" [^|] ) [^\\x00]* )?`,
  ].join('\n')
  const jsonSchemas = Object.fromEntries(enabled.map((plugin, i) => [`args-${i}`, plugin.parameters]))
  return { trigger: markers.header, gbnf: `${gbnf}\n`, jsonSchemas, releaseWhen: LLAMA3_ANSWER_LEAD }
}
