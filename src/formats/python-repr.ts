/**
 * Python's `repr()` of a `str`, reproduced exactly: MOSS's training data quotes search snippets and calculator
 * values this way, so a model trained on it expects the same quoting and escapes.
 */

/** Python's `str.isprintable()` is false for these general categories (the space excepted). */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0')
}

/**
 * `repr(text)` as CPython writes it: single quotes unless the text contains `'` and no `"`; backslash, the chosen
 * quote, `\t` `\n` `\r` escaped; other non-printable characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
 */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (ch === '\t') out += '\\t'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`
    else if (cp < 0x7f) out += ch
    else if (!NOT_PRINTABLE.test(ch)) out += ch
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`
    else out += `\\U${hex(cp, 8)}`
  }
  return out + quote
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
}

/**
 * Reads a Python string literal body written by {@link pythonRepr} (without its quotes) back to the text.
 * Unknown escapes are kept verbatim, as Python does.
 */
export function unescapePythonString(body: string): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch
      continue
    }
    const next = body[i + 1] as string
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0
    if (width > 0) {
      const digits = body.slice(i + 2, i + 2 + width)
      if (digits.length === width && /^[0-9a-fA-F]+$/.test(digits)) {
        out += String.fromCodePoint(Number.parseInt(digits, 16))
        i += 1 + width
        continue
      }
    }
    const simple = SIMPLE_ESCAPES[next]
    if (simple !== undefined && width === 0) {
      out += simple
      i += 1
      continue
    }
    out += ch
  }
  return out
}
