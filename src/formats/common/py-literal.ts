/**
 * Python literals, parsed and never evaluated: what `ast.literal_eval` accepts, mapped onto JSON values. ChatGLM3
 * writes its tool calls as `tool_call(name=value, …)` with Python-literal values; THUDM's own code `eval`s them,
 * which runs whatever the model wrote. Here anything that is not a literal (a name, a call, `'a' + 'b'`, a positional
 * argument) is refused with a {@link FormatError} whose message says what was wrong, so the model gets a clear
 * error result and the dialogue goes on.
 *
 * Accepted as `ast.literal_eval` accepts them: strings in every quote form and prefix (`'…'`, `"…"`, triple-quoted,
 * `r`/`u`, every escape, adjacent strings concatenated), ints (decimal, `0x`/`0o`/`0b`, `_` separators) and floats
 * with an optional sign, `True`/`False`/`None`, lists, tuples and sets (as JSON arrays), dicts (keys as JSON keys,
 * the way `json.dumps` writes them), nested, with trailing commas, comments and line continuations. Refused where
 * JSON has no value for them: bytes, complex numbers, non-finite floats, `\N{…}` named escapes (no name table here).
 */
import { FormatError } from '../../errors.js'

/** The JSON value of a Python literal. */
export type LiteralValue = null | boolean | number | string | LiteralValue[] | { [key: string]: LiteralValue }

const MAX_DEPTH = 100
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }
const IDENTIFIER = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy
const NUMBER = /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?)[jJ]?/y
const STRING_START = /(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])?(?:'''|"""|'|")/y

/** Reads one source text; every method throws {@link FormatError} on what is not a literal. */
class LiteralReader {
  at = 0
  constructor(readonly text: string) {}

  fail(reason: string): never {
    throw new FormatError(reason)
  }

  /** Skips whitespace, comments and backslash line continuations. */
  space(): void {
    const text = this.text
    while (this.at < text.length) {
      const c = text[this.at]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.at++
      else if (c === '#') while (this.at < text.length && text[this.at] !== '\n') this.at++
      else if (c === '\\' && (text[this.at + 1] === '\n' || text.startsWith('\r\n', this.at + 1))) this.at += text[this.at + 1] === '\n' ? 2 : 3
      else return
    }
  }

  peek(): string {
    this.space()
    return this.text[this.at] ?? ''
  }

  expect(char: string, what: string): void {
    if (this.peek() !== char) this.fail(`expected ${JSON.stringify(char)} ${what}, found ${this.describeHere()}`)
    this.at++
  }

  describeHere(): string {
    return this.at >= this.text.length ? 'the end' : JSON.stringify(this.text.slice(this.at, this.at + 12))
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at
    const found = pattern.exec(this.text)
    return found ? found[0] : undefined
  }

  identifier(): string | undefined {
    this.space()
    const name = this.match(IDENTIFIER)
    if (name !== undefined) this.at += name.length
    return name
  }

  /** One literal, and what follows it must not make it an expression (`'a' + 'b'`, `f(x)`, `x.y`, `a[0]`). */
  value(depth: number): LiteralValue {
    const start = this.at
    const value = this.atom(depth)
    const next = this.peek()
    if ('+-*/%@&|^<>=!.([~'.includes(next) && next !== '' && !(next === '=' && this.text[this.at + 1] !== '=')) {
      const end = this.findExpressionEnd()
      this.fail(`${this.text.slice(start, end).trim()} is an expression, not a literal`)
    }
    return value
  }

  /** The end of a refused expression, for the error message: up to a top-level `,` or closing bracket. */
  findExpressionEnd(): number {
    let depth = 0
    for (let i = this.at; i < this.text.length; i++) {
      const c = this.text[i] as string
      if ('([{'.includes(c)) depth++
      else if (')]}'.includes(c)) {
        if (depth === 0) return i
        depth--
      } else if (c === ',' && depth === 0) return i
    }
    return this.text.length
  }

  atom(depth: number): LiteralValue {
    if (depth > MAX_DEPTH) this.fail(`literals nested deeper than ${MAX_DEPTH} levels`)
    const c = this.peek()
    if (c === '') this.fail('a value is missing at the end')
    if (c === '[') return this.sequence(']', depth)
    if (c === '(') return this.parenthesised(depth)
    if (c === '{') return this.braces(depth)
    if (c === '+' || c === '-') {
      this.at++
      const operand = this.atom(depth + 1)
      if (typeof operand !== 'number') this.fail(`the sign ${c} applies to a number only`)
      return c === '-' ? -operand : operand
    }
    if (this.match(STRING_START) !== undefined) return this.strings()
    const number = this.match(NUMBER)
    if (number !== undefined && /^[.\d]/.test(number) && number !== '.') return this.number(number)
    const name = this.identifier()
    if (name === 'True') return true
    if (name === 'False') return false
    if (name === 'None') return null
    if (name !== undefined) {
      const call = this.peek() === '(' ? ' (a call)' : ''
      this.fail(`${name}${call} is a name, not a literal${name === 'true' || name === 'false' || name === 'null' ? ' (Python writes True, False, None)' : ''}`)
    }
    return this.fail(`unexpected ${this.describeHere()}`)
  }

  number(text: string): number {
    this.at += text.length
    if (/[jJ]$/.test(text)) this.fail(`${text} is a complex number, which JSON cannot hold`)
    const digits = text.replace(/_/g, '')
    if (/^0[xXoObB]/.test(digits)) return Number(BigInt(digits))
    if (/^\d+$/.test(digits)) {
      if (/^0+[1-9]/.test(digits)) this.fail(`${text}: leading zeros in a decimal integer are not allowed`)
      return Number(BigInt(digits))
    }
    const value = Number(digits)
    if (!Number.isFinite(value)) this.fail(`${text} is not a finite number`)
    return value
  }

  /** `[…]` or a set's `{…}`: items with an optional trailing comma. */
  sequence(close: string, depth: number): LiteralValue[] {
    this.at++
    const items: LiteralValue[] = []
    while (this.peek() !== close) {
      items.push(this.value(depth + 1))
      if (this.peek() === ',') this.at++
      else if (this.peek() !== close) this.fail(`expected "," or ${JSON.stringify(close)}, found ${this.describeHere()}`)
    }
    this.at++
    return items
  }

  /** `(x)` is `x`; `()`, `(x,)` and `(x, y)` are tuples. */
  parenthesised(depth: number): LiteralValue {
    this.at++
    if (this.peek() === ')') {
      this.at++
      return []
    }
    const first = this.value(depth + 1)
    if (this.peek() === ')') {
      this.at++
      return first
    }
    this.expect(',', 'in a tuple')
    const items = [first]
    while (this.peek() !== ')') {
      items.push(this.value(depth + 1))
      if (this.peek() === ',') this.at++
      else if (this.peek() !== ')') this.fail(`expected "," or ")", found ${this.describeHere()}`)
    }
    this.at++
    return items
  }

  /** A dict, or a set (`{1, 2}`, as an array). `{}` is a dict. */
  braces(depth: number): LiteralValue {
    const open = this.at
    this.at++
    if (this.peek() === '}') {
      this.at++
      return {}
    }
    const firstKey = this.value(depth + 1)
    if (this.peek() !== ':') {
      this.at = open
      return this.sequence('}', depth)
    }
    const dict: { [key: string]: LiteralValue } = {}
    let key = firstKey
    while (true) {
      this.expect(':', 'after a dict key')
      dict[jsonKey(key, (reason) => this.fail(reason))] = this.value(depth + 1)
      if (this.peek() === ',') this.at++
      else if (this.peek() !== '}') this.fail(`expected "," or "}", found ${this.describeHere()}`)
      if (this.peek() === '}') break
      key = this.value(depth + 1)
    }
    this.at++
    return dict
  }

  /** Adjacent string literals, concatenated (`'a' "b"` is `'ab'`). */
  strings(): string {
    let out = ''
    while (this.peek() !== '' && this.match(STRING_START) !== undefined) out += this.string()
    return out
  }

  string(): string {
    const opening = this.match(STRING_START) as string
    const prefix = opening.replace(/['"]+$/, '').toLowerCase()
    const quote = opening.slice(prefix.length)
    if (prefix.includes('b')) this.fail('bytes literals are not text; write a str')
    if (prefix.includes('f')) this.fail('f-strings are evaluated, not literals')
    const raw = prefix.includes('r')
    this.at += opening.length
    const text = this.text
    let out = ''
    while (true) {
      if (this.at >= text.length) this.fail(`a string opened with ${quote} is never closed`)
      if (text.startsWith(quote, this.at)) {
        this.at += quote.length
        return out
      }
      const c = text[this.at] as string
      if ((c === '\n' || c === '\r') && quote.length === 1) this.fail(`a string opened with ${quote} runs past the end of the line`)
      if (c !== '\\') {
        out += c
        this.at++
        continue
      }
      const next = text[this.at + 1] ?? ''
      if (raw) {
        // A raw string keeps the backslash; it still cannot end the string before an escaped quote.
        out += c + next
        this.at += next === '' ? 1 : 2
        continue
      }
      this.at += 2
      out += this.escape(next)
    }
  }

  /** The text of the escape `\` + `next` (already consumed); reads further digits for `\x`, `\u`, `\U`, octal. */
  escape(next: string): string {
    const simple = ESCAPES[next]
    if (simple !== undefined) return simple
    if (next === '\n') return ''
    if (next === '\r') {
      if (this.text[this.at] === '\n') this.at++
      return ''
    }
    if (next >= '0' && next <= '7') {
      let digits = next
      while (digits.length < 3 && /[0-7]/.test(this.text[this.at] ?? '')) digits += this.text[this.at++]
      return String.fromCodePoint(Number.parseInt(digits, 8))
    }
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0
    if (width > 0) {
      const digits = this.text.slice(this.at, this.at + width)
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) this.fail(`\\${next} needs ${width} hex digits`)
      const code = Number.parseInt(digits, 16)
      if (code > 0x10ffff) this.fail(`\\${next}${digits} is beyond Unicode`)
      this.at += width
      return String.fromCodePoint(code)
    }
    if (next === 'N') this.fail('named escapes (\\N{…}) are not supported; write the character itself')
    // Unknown escapes keep their backslash, as Python does.
    return `\\${next}`
  }
}

/** A dict key as `json.dumps` writes it: strings as they are, numbers, booleans and None as their JSON text. */
function jsonKey(key: LiteralValue, fail: (reason: string) => never): string {
  if (typeof key === 'string') return key
  if (typeof key === 'number' || typeof key === 'boolean' || key === null) return JSON.stringify(key)
  return fail('a dict key must be a string, number, True, False or None')
}

/** Parses one Python literal (the whole text). Throws {@link FormatError} with the reason when it is not one. */
export function parsePythonLiteral(text: string): LiteralValue {
  const reader: LiteralReader = new LiteralReader(text)
  const value = reader.value(0)
  if (reader.peek() !== '') reader.fail(`unexpected ${reader.describeHere()} after the value`)
  return value
}

/**
 * Parses a call `callee(name=literal, …)` (keyword arguments only) and returns its arguments; `callee` is the only
 * function name accepted (ChatGLM3: `tool_call`). Throws {@link FormatError} with the reason otherwise.
 */
export function parsePythonKeywordCall(text: string, callee: string): Record<string, LiteralValue> {
  const reader: LiteralReader = new LiteralReader(text)
  const name = reader.identifier()
  if (name !== callee) reader.fail(name === undefined ? `expected ${callee}(…), found ${reader.describeHere()}` : `expected ${callee}(…), found ${name}`)
  reader.expect('(', `after ${callee}`)
  const args: Record<string, LiteralValue> = {}
  while (reader.peek() !== ')') {
    if (reader.peek() === '*') reader.fail('unpacked arguments (* or **) are not literals')
    const before = reader.at
    const keyword = reader.identifier()
    if (keyword === undefined || reader.peek() !== '=' || reader.text[reader.at + 1] === '=') {
      reader.at = before
      reader.space()
      const end = reader.findExpressionEnd()
      reader.fail(`${reader.text.slice(reader.at, end).trim() || 'an argument'} is a positional argument; write name=value`)
    }
    if (keyword === 'True' || keyword === 'False' || keyword === 'None') reader.fail(`${keyword} cannot be an argument name`)
    reader.at++
    if (Object.hasOwn(args, keyword)) reader.fail(`the argument ${keyword} is given twice`)
    args[keyword] = reader.value(0)
    if (reader.peek() === ',') reader.at++
    else if (reader.peek() !== ')') reader.fail(`expected "," or ")", found ${reader.describeHere()}`)
  }
  reader.at++
  if (reader.peek() !== '') reader.fail(`unexpected ${reader.describeHere()} after the call`)
  return args
}
