/**
 * Parses the text of a `<|Commands|>:` span with the production semantics: `Name("argument")` calls separated by
 * `, ` (also `\n` and ` , `), `None` (any case) when nothing is called; the runnable calls are put in plugin order
 * (Search, Calculate, Solve, Text2Image, then custom) before the cut to four, as production does. A span that is not
 * wholly made of closed calls (`Calculate("("+ str(2) + ")")`) runs nothing: production and MOSS's training data run
 * nothing there, where taking the first `")` would run a truncated argument. A structured plugin (several
 * parameters) is called with one JSON object argument: `get_sum({"a": 1, "b": 2})`. Calls of unknown or disabled
 * commands become rejected results the model sees, so it can correct itself instead of the turn failing.
 */
import JSON5 from 'json5'
import { COMMAND_ERRORS } from '../common/command-errors.js'
import type { FormatPlugins, ToolCall, ToolResult } from '../types.js'
import { commandRank } from './builtins.js'
import { MOSS_MAX_COMMANDS } from './markers.js'

export { COMMAND_ERRORS }

/** The production format check, widened to the separators the SFT data also uses. */
const STRICT = /^\w+\("[\s\S]+?"\)(?:(?:, *|\s*\n\s*| , )\w+\("[\s\S]+?"\))*$/
/** The production split. */
const CALL = /(\w+)\("([\s\S]+?)"\)/g
/** Lenient split: full-width parentheses and curly or full-width quotes, as Chinese input methods produce. */
const LENIENT_CALL = /(\w+)\s*[(\uFF08]\s*["\u201C\u201D\uFF02]([\s\S]+?)["\u201C\u201D\uFF02]\s*[)\uFF09]/g

/** What may stand between two calls (production's `, `, plus line breaks and full-width commas). */
const BETWEEN = /^\s*[,\uFF0C]?\s*$/
/** A call with a JSON object argument starts like this. */
const JSON_CALL = /\w+\s*\(\s*\{/

/** One call as written: command, argument text, and the parsed object of a JSON-form call. */
interface WrittenCall {
  readonly command: string
  readonly input: string
  readonly json?: Readonly<Record<string, unknown>> | 'unreadable'
}

/** Whether `found` covers `body` entirely: nothing before, after, or between calls but separators. */
function covers(body: string, found: readonly RegExpMatchArray[]): boolean {
  let at = 0
  for (const [index, match] of found.entries()) {
    const gap = body.slice(at, match.index)
    if (index === 0 ? gap.trim() !== '' : !BETWEEN.test(gap)) return false
    at = (match.index ?? 0) + match[0].length
  }
  return body.slice(at).trim() === ''
}

/** Index of the `}` closing the object that opens at `start` (strings skipped), or -1. */
function closingBrace(text: string, start: number): number {
  let depth = 0
  let quote: string | undefined
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return i
  }
  return -1
}

function readObject(text: string): Readonly<Record<string, unknown>> | 'unreadable' {
  for (const parse of [JSON.parse, JSON5.parse]) {
    try {
      const value: unknown = parse(text)
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    } catch {
      // Try the next reader; JSON5 takes the single quotes and trailing commas models write.
    }
  }
  return 'unreadable'
}

/** Reads a span holding at least one JSON-form call; `undefined` when it is not wholly calls and separators. */
function scanWithObjects(body: string): WrittenCall[] | undefined {
  const calls: WrittenCall[] = []
  let at = 0
  while (at < body.length) {
    const head = /^\s*[,\uFF0C]?\s*(\w+)\s*\(\s*/.exec(body.slice(at))
    if (!head || (calls.length === 0 && /^\s*[,\uFF0C]/.test(body.slice(at)))) return undefined
    at += head[0].length
    const command = head[1] as string
    if (body[at] === '"') {
      const close = body.indexOf('")', at + 2)
      if (close === -1) return undefined
      calls.push({ command, input: body.slice(at + 1, close) })
      at = close + 2
    } else if (body[at] === '{') {
      const end = closingBrace(body, at)
      const paren = end === -1 ? null : /^\s*\)/.exec(body.slice(end + 1))
      if (!paren) return undefined
      const input = body.slice(at, end + 1)
      calls.push({ command, input, json: readObject(input) })
      at = end + 1 + paren[0].length
    } else return undefined
    if (body.slice(at).trim() === '') break
  }
  return calls
}

/** The calls of a span, or `undefined` when it is malformed. `strict` tells whether the production check passed. */
function scanCalls(body: string): { calls: WrittenCall[]; strict: boolean } | undefined {
  if (JSON_CALL.test(body)) {
    const calls = scanWithObjects(body)
    return calls && calls.length > 0 ? { calls, strict: false } : undefined
  }
  const strict = STRICT.test(body)
  const found = [...body.matchAll(new RegExp((strict ? CALL : LENIENT_CALL).source, 'g'))]
  if (found.length === 0 || !covers(body, found)) return undefined
  return { calls: found.map((m) => ({ command: m[1] as string, input: m[2] as string })), strict }
}

/** How a call is written back in canonical commands text (`objects`: ids of JSON-form calls). */
function writeCall(call: ToolCall, objects: ReadonlySet<string>): string {
  return objects.has(call.id) ? `${call.command}(${call.input})` : `${call.command}("${call.input}")`
}

/** What {@link parseMossCommands} found. */
export interface ParsedCommands {
  /** The span said `None` (or held nothing callable and nothing malformed). */
  readonly none: boolean
  /** Calls to run, in MOSS's execution order (Search, Calculate, Solve, Text2Image, then custom). */
  readonly calls: readonly ToolCall[]
  /** Refused calls, with the error the model sees. */
  readonly rejected: readonly ToolResult[]
  /** Every call as written, in the model's order (calls and rejected). */
  readonly written: readonly ToolCall[]
  /** Canonical commands text when the model's text had to be normalised (lenient quotes, command case). */
  readonly canonical?: string
}

/** Options of {@link parseMossCommands}. */
export interface ParseCommandsOptions {
  /** Prefix of call ids; ids are `{prefix}{n}`. Defaults to `call_`. */
  readonly idPrefix?: string
  /** Most calls run. Defaults to 4 (MOSS production). */
  readonly maxCommands?: number
}

/**
 * Parses a commands span. `text` is what follows `<|Commands|>: ` (the single leading space already removed),
 * without the closing `<eoc>`.
 */
export function parseMossCommands(text: string, plugins: FormatPlugins, options: ParseCommandsOptions = {}): ParsedCommands {
  const prefix = options.idPrefix ?? 'call_'
  const max = options.maxCommands ?? MOSS_MAX_COMMANDS
  const body = text.trim()
  const scanned = body === '' || /^none\b/i.test(body) ? undefined : scanCalls(body)
  if (scanned === undefined) {
    if (body === '' || /^none\b/i.test(body)) return { none: true, calls: [], rejected: [], written: [] }
    const call: ToolCall = { id: `${prefix}1`, command: '', input: body }
    return { none: false, calls: [], rejected: [{ call, ok: false, text: COMMAND_ERRORS.malformed() }], written: [call] }
  }
  const available = plugins.filter((p) => p.enabled).map((p) => p.command)
  let renamed = false
  const written: ToolCall[] = []
  const runnable: ToolCall[] = []
  const objects = new Set<string>()
  const rejected: ToolResult[] = []
  scanned.calls.forEach((found, index) => {
    let command = found.command
    let plugin = plugins.find((p) => p.command === command)
    if (!plugin) {
      const lower = command.toLowerCase()
      const alike = plugins.filter((p) => p.command.toLowerCase() === lower)
      if (alike.length === 1 && alike[0]) {
        plugin = alike[0]
        command = plugin.command
        renamed = true
      }
    }
    const args = found.json !== undefined && found.json !== 'unreadable' ? { arguments: found.json } : {}
    const call: ToolCall = { id: `${prefix}${index + 1}`, command, input: found.input, ...args }
    written.push(call)
    if (found.json !== undefined) objects.add(call.id)
    if (!plugin) rejected.push({ call, ok: false, text: COMMAND_ERRORS.unknown(command, available) })
    else if (!plugin.enabled) rejected.push({ call, ok: false, text: COMMAND_ERRORS.disabled(command) })
    else runnable.push(call)
  })
  // Plugin order first, then the cut: production sorts the commands it keeps by plugin before taking four.
  const ordered = runnable
    .map((call, i) => ({ call, i }))
    .sort((a, b) => commandRank(a.call.command) - commandRank(b.call.command) || a.i - b.i)
    .map((x) => x.call)
  const calls = ordered.slice(0, max)
  for (const call of ordered.slice(max)) rejected.push({ call, ok: false, text: COMMAND_ERRORS.overLimit(max) })
  const canonical = !scanned.strict || renamed ? written.map((c) => writeCall(c, objects)).join(', ') : undefined
  return { none: false, calls, rejected, written, ...(canonical !== undefined ? { canonical } : {}) }
}
