/**
 * MOSS commands are identifiers (`\w+` in the production parser), while tool names from MCP servers or BFCL are not
 * (`get-sum`, `math.factorial`). The MOSS format shows the model a legal command for every plugin and maps it back:
 * an identifier stays itself; any other name has each character outside `[A-Za-z0-9_]` replaced by `_` (and `_`
 * prepended before a leading digit), then `_2`, `_3`, … appended while it collides with a command already taken.
 * Identifiers are claimed first, so a plugin that is already legal never changes its command because of another.
 */
import type { Plugin } from '../../plugins/types.js'
import type { FormatPlugins, ToolCall, ToolResult, TurnRecord } from '../types.js'

const IDENTIFIER = /^[A-Za-z_]\w*$/

/** The two directions of the mapping for one plugin list. */
export interface MossNames {
  /** The MOSS command of a plugin command (itself when it is an identifier or unknown). */
  toMoss(command: string): string
  /** The plugin command of a MOSS command (itself when it is not a mapped one). */
  fromMoss(command: string): string
  /** The plugins as MOSS sees them: each with its MOSS command. */
  readonly plugins: FormatPlugins
  /** Whether any command was renamed. */
  readonly renamed: boolean
}

function legalBase(command: string): string {
  const base = command.replace(/\W/g, '_')
  return /^\d/.test(base) ? `_${base}` : base
}

/** Computes the mapping for these plugins (registration order decides collisions). */
export function mossNames(plugins: FormatPlugins): MossNames {
  const taken = new Set(plugins.map((p) => p.command).filter((c) => IDENTIFIER.test(c)))
  const toMoss = new Map<string, string>()
  for (const plugin of plugins) {
    if (IDENTIFIER.test(plugin.command) || toMoss.has(plugin.command)) continue
    const base = legalBase(plugin.command)
    let candidate = base
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`
    taken.add(candidate)
    toMoss.set(plugin.command, candidate)
  }
  const fromMoss = new Map([...toMoss].map(([command, moss]) => [moss, command]))
  const view: Plugin[] = plugins.map((p) => {
    const moss = toMoss.get(p.command)
    return moss === undefined ? p : { ...p, command: moss }
  })
  return {
    toMoss: (command) => toMoss.get(command) ?? command,
    fromMoss: (command) => fromMoss.get(command) ?? command,
    plugins: view,
    renamed: toMoss.size > 0,
  }
}

/** A call with its command mapped by `map`. */
export function renameCall(call: ToolCall, map: (command: string) => string): ToolCall {
  const command = map(call.command)
  return command === call.command ? call : { ...call, command }
}

/** A result with its call's command mapped by `map`. */
export function renameResult(result: ToolResult, map: (command: string) => string): ToolResult {
  const call = renameCall(result.call, map)
  return call === result.call ? result : { ...result, call }
}

/** A record with its results' commands mapped by `map` (the texts are MOSS's own and stay as written). */
export function renameRecord(record: TurnRecord, map: (command: string) => string): TurnRecord {
  return { ...record, results: record.results.map((r) => renameResult(r, map)) }
}
