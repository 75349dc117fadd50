/**
 * Parses the text of a `<|Commands|>:` span with the production semantics: `Name("argument")` calls separated by
 * `, ` (also `\n` and ` , `), at most four, `None` when nothing is called. Calls of unknown or disabled commands
 * become rejected results the model sees, so it can correct itself instead of the turn failing.
 */
import type { FormatPlugins, ToolCall, ToolResult } from '../types.js'
import { commandRank } from './builtins.js'
import { MOSS_MAX_COMMANDS, MOSS_NONE } from './markers.js'

/** The production format check, widened to the separators the SFT data also uses. */
const STRICT = /^\w+\("[\s\S]+?"\)(?:(?:, *|\s*\n\s*| , )\w+\("[\s\S]+?"\))*$/
/** The production split. */
const CALL = /(\w+)\("([\s\S]+?)"\)/g
/** Lenient split: full-width parentheses and curly or full-width quotes, as Chinese input methods produce. */
const LENIENT_CALL = /(\w+)\s*[(\uFF08]\s*["\u201C\u201D\uFF02]([\s\S]+?)["\u201C\u201D\uFF02]\s*[)\uFF09]/g

/** Error texts of rejected calls (the model reads them in the results block). */
export const COMMAND_ERRORS = {
  unknown: (command: string, available: readonly string[]) =>
    `Unknown command "${command}". ${available.length ? `Available commands: ${available.join(', ')}.` : 'No commands are available.'}`,
  disabled: (command: string) => `Command "${command}" is disabled.`,
  overLimit: (max: number) => `Not run: at most ${max} commands per turn.`,
  malformed: () => `Malformed commands: write Name("argument"), several separated by ", ", or None.`,
} as const

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
  const strict = STRICT.test(body)
  const pattern = strict ? CALL : LENIENT_CALL
  const found = [...body.matchAll(new RegExp(pattern.source, 'g'))]
  if (found.length === 0) {
    if (body === '' || body.startsWith(MOSS_NONE)) return { none: true, calls: [], rejected: [], written: [] }
    const call: ToolCall = { id: `${prefix}1`, command: '', input: body }
    return { none: false, calls: [], rejected: [{ call, ok: false, text: COMMAND_ERRORS.malformed() }], written: [call] }
  }
  const available = plugins.filter((p) => p.enabled).map((p) => p.command)
  let renamed = false
  const written: ToolCall[] = []
  const calls: ToolCall[] = []
  const rejected: ToolResult[] = []
  found.forEach((match, index) => {
    let command = match[1] as string
    const input = match[2] as string
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
    const call: ToolCall = { id: `${prefix}${index + 1}`, command, input }
    written.push(call)
    if (!plugin) rejected.push({ call, ok: false, text: COMMAND_ERRORS.unknown(command, available) })
    else if (!plugin.enabled) rejected.push({ call, ok: false, text: COMMAND_ERRORS.disabled(command) })
    else if (calls.length >= max) rejected.push({ call, ok: false, text: COMMAND_ERRORS.overLimit(max) })
    else calls.push(call)
  })
  const ordered = calls
    .map((call, i) => ({ call, i }))
    .sort((a, b) => commandRank(a.call.command) - commandRank(b.call.command) || a.i - b.i)
    .map((x) => x.call)
  const canonical = !strict || renamed ? written.map((c) => `${c.command}("${c.input}")`).join(', ') : undefined
  return { none: false, calls: ordered, rejected, written, ...(canonical !== undefined ? { canonical } : {}) }
}
