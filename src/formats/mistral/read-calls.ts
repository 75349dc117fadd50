/**
 * Reads a Mistral v0.3 assistant generation: text, then optionally `[TOOL_CALLS]` and a JSON list of
 * `{"name": …, "arguments": {…}}` objects. Where the reference parsers differ (docs/formats.md, `mistral`):
 * - vLLM's mistral parser keeps the text before the marker as content and reads the list with strict JSON (falling
 *   back to the outermost `[{…}]`); a list it cannot read makes the whole output plain text. Here every item is
 *   read on its own, strict JSON first and JSON5 second (single quotes, trailing commas: the project-wide majority
 *   of tools/tool-call-json.ts), so a bad item beside a good one costs only itself and becomes an error result;
 * - vLLM's streaming parser recovers an item whose closing `}` is missing before the list's `]` (its own
 *   `multiple_tools` test input), and so does this reader; an item cut by the end of the generation is refused;
 * - several `[TOOL_CALLS]` lists in one message are read in order.
 * Never evaluated.
 */
import { readToolCallJson, type ReadToolCall } from '../common/tool-call-json.js'

/** The control token that opens the call list. */
export const TOOL_CALLS = '[TOOL_CALLS]'

/** One item of a call list: its raw text and how it read. */
export interface MistralItem {
  readonly text: string
  readonly read: ReadToolCall
}

/** A generation split at the first `[TOOL_CALLS]`. */
export interface MistralReading {
  /** Text before the marker (the whole output when there is none). */
  readonly text: string
  /** Whether the marker was written. */
  readonly called: boolean
  /** The list items, in order (empty when the marker was followed by no readable list). */
  readonly items: readonly MistralItem[]
}

/** Splits the top-level `{…}` items of a list body; an item still open when the list's `]` comes is closed there. */
export function splitListItems(body: string): { items: string[]; cut: boolean } {
  const items: string[] = []
  const open: string[] = []
  let quote: string | undefined
  let start = -1
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === '{' || c === '[') {
      if (open.length === 0 && c === '{') start = i
      open.push(c)
    } else if (c === '}' || c === ']') {
      if (open.length === 0) return { items, cut: false } // the list's own `]`
      if (c === ']' && open.at(-1) === '{' && start !== -1) {
        // The list's `]` with an object still open: close what is missing (vLLM's streaming recovery).
        items.push(body.slice(start, i) + open.reverse().map((o) => (o === '{' ? '}' : ']')).join(''))
        return { items, cut: false }
      }
      open.pop()
      if (open.length === 0 && start !== -1) {
        items.push(body.slice(start, i + 1))
        start = -1
      }
    }
  }
  if (start !== -1) items.push(body.slice(start))
  return { items, cut: start !== -1 }
}

/** Reads one generation (without its stop marker). */
export function readMistralOutput(generated: string): MistralReading {
  const at = generated.indexOf(TOOL_CALLS)
  if (at === -1) return { text: generated, called: false, items: [] }
  const items: MistralItem[] = []
  for (const segment of generated.slice(at + TOOL_CALLS.length).split(TOOL_CALLS)) {
    const open = segment.indexOf('[')
    const body = open === -1 ? segment : segment.slice(open + 1)
    const { items: texts, cut } = splitListItems(body)
    texts.forEach((text, i) => {
      const last = i === texts.length - 1
      const read: ReadToolCall = last && cut ? { ok: false, reason: 'the call was cut off before its end' } : readToolCallJson(text)
      items.push({ text: text.trim(), read })
    })
    if (texts.length === 0) items.push({ text: segment.trim(), read: { ok: false, reason: 'no call object after [TOOL_CALLS]' } })
  }
  return { text: generated.slice(0, at), called: true, items }
}
