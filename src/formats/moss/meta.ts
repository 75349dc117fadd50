/**
 * MOSS's meta instruction: the base text (from `prompts/`) followed by the plugin switch lines derived from the
 * registered plugins.
 */
import { readPackageText } from '../../util/package-root.js'
import type { FormatPlugins } from '../types.js'
import type { JsonSchema } from '../../plugins/types.js'
import { MOSS_SWITCHES } from './builtins.js'
import { mossNames } from './names.js'

/** Where the base texts live, relative to the package root. */
export const MOSS_META_FILES = { en: 'prompts/moss-meta.en.txt', zh: 'prompts/moss-meta.zh.txt' } as const

/** The base meta instruction (everything before the switch lines). `language` defaults to `en`, the trained text. */
export function mossMetaBase(language: 'en' | 'zh' = 'en'): string {
  return readPackageText(MOSS_META_FILES[language])
}

/** One switch line as structure (the parse of a line, or what a plugin contributes). */
export interface MossSwitchLine {
  readonly label: string
  readonly enabled: boolean
  /** `Command` of `API: Command(argument)`, present on enabled callable lines. */
  readonly command?: string
  /** `argument` of `API: Command(argument)` (a JSON shape such as `{"a": number}` for a structured plugin). */
  readonly argument?: string
  /** The plugin's own tool name when MOSS shows it under another command (`get-sum` as `get_sum`). */
  readonly tool?: string
}

/** Writes one switch line, `\n` included. */
export function renderSwitchLine(line: MossSwitchLine): string {
  if (!line.enabled) return `- ${line.label}: disabled.\n`
  if (line.command === undefined) return `- ${line.label}: enabled.\n`
  const tool = line.tool !== undefined ? ` (tool ${line.tool})` : ''
  return `- ${line.label}: enabled. API: ${line.command}(${line.argument ?? 'input'})${tool}\n`
}

/**
 * The argument of a structured plugin's API line: the JSON object it takes, each property with its type and a `?`
 * when optional, e.g. `{"a": number, "b": number, "note"?: string}`.
 */
export function jsonArgumentShape(parameters: JsonSchema): string {
  const required = new Set(parameters.required ?? [])
  const fields = Object.entries(parameters.properties ?? {}).map(([key, schema]) => {
    const type = Array.isArray(schema.type) ? schema.type.join('|') : typeof schema.type === 'string' ? schema.type : 'any'
    return `${JSON.stringify(key)}${required.has(key) ? '' : '?'}: ${type}`
  })
  return `{${fields.join(', ')}}`
}

/**
 * The switch lines for these plugins: MOSS's seven in order, then custom plugins in registration order, each under
 * its MOSS command (see `mossNames`) with the tool name shown when it differs.
 */
export function mossSwitchLines(plugins: FormatPlugins): MossSwitchLine[] {
  const anyEnabled = plugins.some((p) => p.enabled)
  const lines: MossSwitchLine[] = MOSS_SWITCHES.map((sw) => {
    if (sw.command === undefined) {
      // Inner thoughts are on whenever a plugin is (as in every plugin sample); the other two were never released.
      return { label: sw.label, enabled: sw.label === 'Inner thoughts' && anyEnabled }
    }
    const plugin = plugins.find((p) => p.command === sw.command && p.enabled)
    return plugin
      ? { label: sw.label, enabled: true, command: sw.command, argument: sw.argument ?? plugin.argument }
      : { label: sw.label, enabled: false }
  })
  const builtin = new Set(MOSS_SWITCHES.map((sw) => sw.command).filter((c) => c !== undefined))
  const names = mossNames(plugins)
  for (const plugin of plugins) {
    if (builtin.has(plugin.command)) continue
    if (!plugin.enabled) {
      lines.push({ label: plugin.label, enabled: false })
      continue
    }
    const command = names.toMoss(plugin.command)
    lines.push({
      label: plugin.label,
      enabled: true,
      command,
      argument: plugin.takesString ? plugin.argument : jsonArgumentShape(plugin.parameters),
      ...(command !== plugin.command ? { tool: plugin.command } : {}),
    })
  }
  return lines
}

/** Options of {@link renderMossMeta}. */
export interface MossMetaOptions {
  /** Base text language. Defaults to `en`. */
  readonly language?: 'en' | 'zh'
  /** Adds `- Current date: {date}.`; omitted by default. */
  readonly date?: string
  /** Replaces the base text (conformance: the sample's own text). Defaults to the packaged prompt. */
  readonly base?: string
}

/** The full meta instruction for these plugins. */
export function renderMossMeta(plugins: FormatPlugins, options: MossMetaOptions = {}): string {
  let text = options.base ?? mossMetaBase(options.language)
  for (const line of mossSwitchLines(plugins)) text += renderSwitchLine(line)
  if (options.date !== undefined) text += `- Current date: ${options.date}.\n`
  return text
}

const SWITCH_LINE = /^- ([^:\n]+): (enabled|disabled)\.(?: API: (\w+)\((\w*)\))?$/
const DATE_LINE = /^- Current date: (.+)\.$/

/** A meta instruction read back into structure. */
export interface ParsedMossMeta {
  /** Text up to the first switch line. */
  readonly base: string
  readonly lines: readonly MossSwitchLine[]
  readonly date?: string
}

/**
 * Reads a meta instruction back: the base text, then trailing `- …` switch lines. Returns `undefined` when the text
 * does not end in switch lines.
 */
export function parseMossMeta(text: string): ParsedMossMeta | undefined {
  if (!text.endsWith('\n')) return undefined
  const rows = text.slice(0, -1).split('\n')
  const lines: MossSwitchLine[] = []
  let date: string | undefined
  let first = rows.length
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as string
    const dateMatch = i === rows.length - 1 && lines.length === 0 ? DATE_LINE.exec(row) : null
    if (dateMatch) {
      date = dateMatch[1]
      first = i
      continue
    }
    const m = SWITCH_LINE.exec(row)
    if (!m) break
    lines.unshift({
      label: m[1] as string,
      enabled: m[2] === 'enabled',
      ...(m[3] !== undefined ? { command: m[3], argument: m[4] ?? '' } : {}),
    })
    first = i
  }
  if (lines.length === 0) return undefined
  const base = rows.slice(0, first).map((r) => `${r}\n`).join('')
  return { base, lines, ...(date !== undefined ? { date } : {}) }
}
