/**
 * The forced literal prefix of a span grammar. When a span is engaged from the start of a generation (its trigger
 * is the prompt's tail) and its grammar begins with fixed text — `<tool_call>\n{"name": "Calculate", "arguments":`,
 * a forced thought — sampling that text token by token costs one decode per token and, on a large vocabulary, a
 * grammar check of every vocabulary entry whenever the model's own choice is not the literal (llama.cpp's grammar
 * sampler decodes all 151,936 candidates of Qwen3 then). The backend instead appends the literal's tokens in one
 * batch and lets the grammar take over after them.
 *
 * The last token of the literal is not forced: it is left to the model under the grammar, so the boundary between
 * the fixed text and what the model writes next is tokenized the way the model chooses (forcing `" "` before a word
 * would split `" Calculate"` into two tokens no model was trained on).
 */
import type { Token } from 'node-llama-cpp'

/** A literal prefix split off a grammar. */
export interface LiteralPrefix {
  /** The fixed text the grammar starts with. */
  readonly literal: string
  /** The elements of `root` after the literal (empty when `root` is all literal). */
  readonly restOfRoot: string
}

/**
 * Splits the leading string literals off the `root` rule of a GBNF grammar. Returns `undefined` when `root` does not
 * start with a literal, has an alternation at its top level or spans several lines.
 */
export function splitLiteralPrefix(gbnf: string): LiteralPrefix | undefined {
  const lines = gbnf.split('\n')
  const index = lines.findIndex((line) => /^root\s*::=/.test(line))
  if (index < 0) return undefined
  const next = lines[index + 1]
  if (next !== undefined && next.trim() !== '' && !/^[\w-]+\s*::=/.test(next)) return undefined
  const body = (lines[index] ?? '').replace(/^root\s*::=/, '')
  let literal = ''
  let at = 0
  while (true) {
    while (at < body.length && /\s/.test(body[at] ?? '')) at++
    if (body[at] !== '"') break
    const parsed = readStringLiteral(body, at)
    if (parsed === undefined) return undefined
    // A literal followed by a repetition or optional (`"a"*`) is not fixed text.
    if (/^[*+?{]/.test(body.slice(parsed.end))) break
    literal += parsed.value
    at = parsed.end
  }
  const restOfRoot = body.slice(at).trim()
  if (literal.length === 0 || hasTopLevelAlternation(restOfRoot)) return undefined
  return { literal, restOfRoot }
}

/** Reads a GBNF double-quoted literal at `start`; `end` is the index after its closing quote. */
function readStringLiteral(text: string, start: number): { value: string; end: number } | undefined {
  const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', '[': '[', ']': ']' }
  let value = ''
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string
    if (c === '"') return { value, end: i + 1 }
    if (c !== '\\') {
      value += c
      continue
    }
    const e = text[i + 1] ?? ''
    const mapped = escapes[e]
    if (mapped === undefined) return undefined // \x, \u…: rare in span grammars, not worth decoding here
    value += mapped
    i++
  }
  return undefined
}

function hasTopLevelAlternation(text: string): boolean {
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote !== undefined) {
      if (c === '\\') i++
      else if ((quote === '"' && c === '"') || (quote === '[' && c === ']')) quote = undefined
    } else if (c === '"' || c === '[') quote = c
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === '|' && depth === 0) return true
  }
  return false
}

/** The GBNF body of a text as one double-quoted literal. */
export function gbnfLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/** What to append before sampling, and the grammar that continues after it. */
export interface ForcedPrefixPlan {
  readonly tokens: Token[]
  /** Their text (a prefix of the literal). */
  readonly text: string
  /** The span grammar with the forced text removed from `root`. */
  readonly gbnf: string
  /**
   * Set when the span is nothing but fixed text closed by this end-of-generation marker: `tokens` are the whole text
   * and the marker, nothing is left to sample, and the generation ends with the marker.
   */
  readonly closes?: string
}

/**
 * Plans the forced prefix of a span grammar: the literal's trusted tokenization minus its last token — or, for a root
 * that is all literal and closed by `closingMarker` (cut from the grammar, see grammar-span.ts), every token and the
 * marker's (`closes`). `undefined`
 * when there is nothing worth forcing, when the tokens do not spell the literal's start exactly, when a stop marker
 * lies inside it, or when they would not fit the generation's token limit.
 */
export function planForcedPrefix(
  gbnf: string,
  tokenize: (text: string) => Token[],
  detokenize: (tokens: readonly Token[]) => string,
  stops: readonly string[],
  limit: number,
  closingMarker?: string,
): ForcedPrefixPlan | undefined {
  const split = splitLiteralPrefix(gbnf)
  if (split === undefined || stops.some((stop) => split.literal.includes(stop))) return undefined
  const all = tokenize(split.literal)
  if (closingMarker !== undefined && split.restOfRoot === '') {
    // All fixed text, then only the closing marker: no token boundary is left for the model to choose.
    const tokens = [...all, ...tokenize(closingMarker)]
    if (all.length === 0 || tokens.length > limit || detokenize(all) !== split.literal) return undefined
    return { tokens, text: split.literal, gbnf, closes: closingMarker }
  }
  if (all.length < 2) return undefined
  const tokens = all.slice(0, -1)
  if (tokens.length >= limit) return undefined
  const text = detokenize(tokens)
  if (text.length === 0 || !split.literal.startsWith(text)) return undefined
  const root = `root ::= ${gbnfLiteral(split.literal.slice(text.length))} ${split.restOfRoot}`.trimEnd()
  return { tokens, text, gbnf: gbnf.replace(/^root\s*::=.*$/m, () => root) }
}
