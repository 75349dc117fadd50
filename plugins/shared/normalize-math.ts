/**
 * Normalises math typed the way people (and MOSS) type it in Chinese or with an IME: full-width digits and operators,
 * superscript powers, `×` `÷` `−` `π` `√`, a few Chinese operator words, and a leading “求解:” / “计算：” / “solve”.
 * Shared by the calculator and the equation solver; runs in the parent (string work only) before a child sees it.
 */

/** Superscript characters and what they stand for. Mapped before NFKC, which would turn `x²` into `x2`. */
const SUPERSCRIPTS: Readonly<Record<string, string>> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
  '⁻': '-', '⁺': '+', '⁽': '(', '⁾': ')', 'ⁿ': 'n',
}

/** Symbols replaced after NFKC (NFKC has already turned full-width `＋－＝（）０-９` into ASCII). */
const SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['×', '*'], ['✕', '*'], ['✖', '*'], ['⋅', '*'], ['·', '*'], ['∙', '*'], ['⨯', '*'],
  ['÷', '/'], ['∕', '/'], ['⁄', '/'],
  ['−', '-'], ['–', '-'], ['—', '-'], ['‐', '-'], ['‑', '-'],
  ['π', 'pi'], ['Π', 'pi'],
  ['√', 'sqrt'], ['∛', 'cbrt'],
  ['≤', '<='], ['≥', '>='], ['≠', '!='],
  ['【', '('], ['】', ')'], ['〔', '('], ['〕', ')'], ['［', '('], ['］', ')'],
  ['，', ','], ['、', ','], ['；', ';'], ['：', ':'], ['“', '"'], ['”', '"'],
  ['\u3000', ' '],
  ['**', '^'],
]

/** Function names people write that the engines spell differently (`ln(2)` → `log(2)`). */
const FUNCTION_ALIASES: Readonly<Record<string, string>> = { ln: 'log', lg: 'log10', arcsin: 'asin', arccos: 'acos', arctan: 'atan' }
const FUNCTION_ALIAS = new RegExp(`\\b(${Object.keys(FUNCTION_ALIASES).join('|')})\\s*\\(`, 'g')

/** Chinese operator words, longest first so `乘以` wins over `乘`. */
const WORDS: ReadonlyArray<readonly [string, string]> = [
  ['的平方根', '^(1/2)'], ['的平方', '^(2)'], ['的立方', '^(3)'],
  ['乘以', '*'], ['除以', '/'], ['加上', '+'], ['减去', '-'], ['減去', '-'], ['等于', '='], ['等於', '='],
  ['加', '+'], ['减', '-'], ['減', '-'], ['乘', '*'],
]

/** Leading request words, longest first; an optional `:` follows. */
const PREFIXES: readonly string[] = ['解方程组', '解方程', '求解', '计算', '計算', '算一下', '解', '求', 'solve', 'calculate', 'compute']

/** Trailing question words a calculator request may end with. */
const TRAILERS: readonly string[] = ['等于多少', '等於多少', '是多少', '=?', '=？', '?', '？', '=', '。']

/** Whether the text is an expression to evaluate or an equation (keeps `=` and `=0`). */
export type MathInputKind = 'expression' | 'equation'

/**
 * Normalises one math input. `（x＋１）²＝４` → `(x+1)^(2)=4`; `３×４÷２` → `3*4/2`; `求解 x²－5x＋6＝0` →
 * `x^(2)-5x+6=0`. For `'expression'` (the default) a trailing `=` / `=?` / `等于多少` is dropped.
 */
export function normalizeMathInput(text: string, kind: MathInputKind = 'expression'): string {
  let out = replaceSuperscripts(text)
  out = out.normalize('NFKC')
  for (const [from, to] of SYMBOLS) out = out.split(from).join(to)
  // Trailers go before the operator words, which would turn `等于多少` into `=多少`.
  if (kind === 'expression') out = stripTrailers(out.trim())
  for (const [from, to] of WORDS) out = out.split(from).join(to)
  // `√2` / `sqrt2` (from `√` without a parenthesis) → `sqrt(2)`; `√(…)` is already a call.
  out = out.replace(/(sqrt|cbrt)\s*(\d+(?:\.\d+)?|[A-Za-z]\w*)/g, '$1($2)')
  out = out.replace(FUNCTION_ALIAS, (_match, name: string) => `${FUNCTION_ALIASES[name] ?? name}(`)
  out = out.trim()
  out = stripPrefix(out)
  if (kind === 'expression') out = stripTrailers(out)
  return out.trim()
}

function replaceSuperscripts(text: string): string {
  let out = ''
  let run = ''
  const flush = (): void => {
    if (run) out += `^(${run})`
    run = ''
  }
  for (const char of text) {
    const mapped = SUPERSCRIPTS[char]
    if (mapped !== undefined) run += mapped
    else {
      flush()
      out += char
    }
  }
  flush()
  return out
}

function stripPrefix(text: string): string {
  const lower = text.toLowerCase()
  for (const prefix of PREFIXES) {
    if (!lower.startsWith(prefix)) continue
    const rest = text.slice(prefix.length)
    // An ASCII word prefix must be followed by a separator (`solver(x)` is not `solve r(x)`).
    if (/^[a-z]/.test(prefix) && !/^\s*[:\s]/.test(rest)) continue
    return rest.replace(/^\s*:?\s*/, '')
  }
  return text
}

function stripTrailers(text: string): string {
  let out = text
  for (let changed = true; changed; ) {
    changed = false
    for (const trailer of TRAILERS) {
      if (out.endsWith(trailer) && out.length > trailer.length) {
        out = out.slice(0, -trailer.length).trimEnd()
        changed = true
      }
    }
  }
  return out
}
