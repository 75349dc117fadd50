/**
 * Neutralises protocol markers in untrusted text (user input, plugin results, search snippets) so that the text can
 * neither end a segment nor parse as structure, in any of the supported formats.
 *
 * Matching is done on a folded copy of the text: NFKC (a tokenizer that normalises `＜eom＞` must not see `<eom>`),
 * lower case (`<EOM>`) and with default-ignorable characters removed (`<e\u200Bom>`). A match is replaced by its
 * NFKC form with the angle and square brackets swapped for look-alikes that no normalisation maps back
 * (`‹eom›`, `‹|Results|›:`), which keeps the text readable for the model and makes the operation idempotent.
 */

/** A family of markers written `open … close` with a short inner part, e.g. `<|Human|>`, `<|1|>`, `<|im_end|>`. */
export interface MarkerFamily {
  /** Opening text, lower case, e.g. `<|`. */
  readonly open: string
  /** Closing text, lower case, e.g. `|>`. */
  readonly close: string
  /** Longest inner part that still counts as a marker. */
  readonly maxInner: number
  /** Inner parts (folded) that are not markers of this family, e.g. citation numbers. Defaults to none. */
  readonly except?: RegExp
}

/** What to neutralise. */
export interface NeutraliseRules {
  /** Exact markers, lower case (matching is case-insensitive). */
  readonly literals: readonly string[]
  /** Marker families. */
  readonly families: readonly MarkerFamily[]
}

/**
 * The markers of every format moss-agent speaks: MOSS end tokens and role markers, `<|…|>` role tokens of ChatML
 * and ChatGLM3 (`<|im_start|>`, `<|observation|>`, `<|endoftext|>`), Hermes tool tags and GLM prefix tokens.
 */
export const DEFAULT_NEUTRALISE_RULES: NeutraliseRules = {
  literals: [
    '<eoh>',
    '<eot>',
    '<eoc>',
    '<eor>',
    '<eom>',
    '<tool_call>',
    '</tool_call>',
    '<tool_response>',
    '</tool_response>',
    '<tools>',
    '</tools>',
    '[gmask]',
    '[smask]',
    '[mask]',
    '<sop>',
    '<eop>',
  ],
  families: [{ open: '<|', close: '|>', maxInner: 40 }],
}

/**
 * The markers user text must not contain: everything in {@link DEFAULT_NEUTRALISE_RULES} except citation markers
 * (`<|1|>`). In a user turn a citation cannot end the segment or open a role, and MOSS's SFT data has users quoting
 * them, so they stay byte for byte. Tool results keep the default rules: there a `<|1|>:` line would read as a search
 * hit.
 */
export const USER_TEXT_NEUTRALISE_RULES: NeutraliseRules = {
  literals: DEFAULT_NEUTRALISE_RULES.literals,
  families: [{ open: '<|', close: '|>', maxInner: 40, except: /^\d+$/ }],
}

/** Look-alikes that replace brackets in a neutralised marker (none of them NFKC-folds to ASCII). */
const DEFUSE: Readonly<Record<string, string>> = { '<': '\u2039', '>': '\u203A', '[': '\u2045', ']': '\u2046' }

const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u

interface Folded {
  readonly text: string
  /** For each UTF-16 unit of `text`, the index in the original string of the code point it came from. */
  readonly origin: number[]
  /** For each such unit, the end index (exclusive) of that code point in the original. */
  readonly originEnd: number[]
}

function fold(text: string): Folded {
  let out = ''
  const origin: number[] = []
  const originEnd: number[] = []
  let index = 0
  for (const ch of text) {
    const end = index + ch.length
    if (!IGNORABLE.test(ch)) {
      const f = ch.normalize('NFKC').toLowerCase()
      out += f
      for (let k = 0; k < f.length; k++) {
        origin.push(index)
        originEnd.push(end)
      }
    }
    index = end
  }
  return { text: out, origin, originEnd }
}

function findSpans(folded: string, rules: NeutraliseRules): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  for (const literal of rules.literals) {
    let at = folded.indexOf(literal)
    while (at !== -1) {
      spans.push([at, at + literal.length])
      at = folded.indexOf(literal, at + 1)
    }
  }
  for (const family of rules.families) {
    let at = folded.indexOf(family.open)
    while (at !== -1) {
      const innerStart = at + family.open.length
      const close = folded.indexOf(family.close, innerStart)
      if (close !== -1 && close - innerStart <= family.maxInner) {
        const inner = folded.slice(innerStart, close)
        if (!inner.includes('\n') && !inner.includes(family.open) && !(family.except?.test(inner) ?? false)) {
          spans.push([at, close + family.close.length])
        }
      }
      at = folded.indexOf(family.open, at + 1)
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: Array<[number, number]> = []
  for (const span of spans) {
    const last = merged[merged.length - 1]
    if (last && span[0] < last[1]) last[1] = Math.max(last[1], span[1])
    else merged.push([span[0], span[1]])
  }
  return merged
}

function defuse(original: string): string {
  let out = ''
  for (const ch of original) {
    if (IGNORABLE.test(ch)) continue
    for (const f of ch.normalize('NFKC')) out += DEFUSE[f] ?? f
  }
  return out
}

/**
 * Returns `text` with every protocol marker neutralised (see the module comment). Text without markers is returned
 * unchanged. Idempotent. `rules` defaults to {@link DEFAULT_NEUTRALISE_RULES}.
 */
export function neutraliseMarkers(text: string, rules: NeutraliseRules = DEFAULT_NEUTRALISE_RULES): string {
  // Defusing an inner marker can reveal an outer one (`<|<|Human|>|>`): repeat until nothing changes.
  let current = text
  for (let round = 0; round < 8; round++) {
    const next = neutraliseOnce(current, rules)
    if (next === current) return next
    current = next
  }
  return current
}

function neutraliseOnce(text: string, rules: NeutraliseRules): string {
  // Fast path: every marker contains one of these characters after folding, or a character that folds to one.
  if (!/[<>[\]\uFE47\uFE48\uFE64\uFE65\uFF1C\uFF1E\uFF3B\uFF3D]/.test(text)) return text
  const folded = fold(text)
  const spans = findSpans(folded.text, rules)
  if (spans.length === 0) return text
  let out = ''
  let cursor = 0
  for (const [start, end] of spans) {
    const from = folded.origin[start] ?? cursor
    const to = folded.originEnd[end - 1] ?? from
    if (from < cursor) continue
    out += text.slice(cursor, from) + defuse(text.slice(from, to))
    cursor = to
  }
  return out + text.slice(cursor)
}

/** True when `text` contains a marker that {@link neutraliseMarkers} would neutralise. */
export function containsMarker(text: string, rules: NeutraliseRules = DEFAULT_NEUTRALISE_RULES): boolean {
  return neutraliseMarkers(text, rules) !== text
}
