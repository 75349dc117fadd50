/**
 * The GBNF grammar of MOSS's commands span, built from the enabled plugins: ` None<eoc>` or one to four
 * `Cmd("argument")` calls (`Cmd({...})` for structured plugins) separated by `, `, closed by `<eoc>`. Arguments
 * cannot contain `"`, `<` or a line break and end after {@link MOSS_MAX_ARGUMENT_CHARS} characters.
 */
import type { ConstrainedSpan } from '../../prompt.js'
import type { FormatPlugins } from '../types.js'
import { MOSS_END, MOSS_MAX_ARGUMENT_CHARS, MOSS_MAX_COMMANDS, MOSS_NONE, MOSS_ROLE } from './markers.js'

/** Bounds of a commands grammar. */
export interface MossCommandsBounds {
  /** Most calls in the span. Defaults to {@link MOSS_MAX_COMMANDS} (4). */
  readonly maxCommands?: number
  /** Longest argument, in characters. Defaults to {@link MOSS_MAX_ARGUMENT_CHARS} (300). */
  readonly maxArgumentChars?: number
}

function gbnfString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

function enabledCommands(plugins: FormatPlugins): string[] {
  return [...new Set(plugins.filter((p) => p.enabled).map((p) => p.command))]
}

/**
 * The grammar for these plugins (only enabled ones can be called; with none enabled, or no room for an argument, the
 * span can only be `None`).
 */
export function buildMossCommandsGrammar(plugins: FormatPlugins, bounds: MossCommandsBounds = {}): string {
  const { maxCommands = MOSS_MAX_COMMANDS, maxArgumentChars = MOSS_MAX_ARGUMENT_CHARS } = bounds
  const enabled = plugins.filter((p) => p.enabled)
  const commands = [...new Set(enabled.filter((p) => p.takesString).map((p) => p.command))]
  const objectCommands = [...new Set(enabled.filter((p) => !p.takesString).map((p) => p.command))]
  const lines = [`root ::= " " body ${gbnfString(MOSS_END.commands)}`]
  if ((commands.length === 0 && objectCommands.length === 0) || maxCommands < 1 || maxArgumentChars < 1) {
    lines.push(`body ::= ${gbnfString(MOSS_NONE)}`)
    return `${lines.join('\n')}\n`
  }
  // Nested optionals for the calls (readable, four levels); a counted repetition for the argument, which llama.cpp
  // expands itself.
  let tail = ''
  for (let i = 1; i < maxCommands; i++) tail = `( ", " call ${tail})?`
  // With only string plugins `call` is the string form itself (the grammar MOSS always had).
  const stringRule = objectCommands.length > 0 ? 'stringcall' : 'call'
  const maxChars = Math.floor(maxArgumentChars)
  lines.push(`body ::= ${gbnfString(MOSS_NONE)} | call ${tail}`.trimEnd())
  if (objectCommands.length > 0) lines.push(`call ::= ${commands.length > 0 ? 'stringcall | objectcall' : 'objectcall'}`)
  if (commands.length > 0) {
    lines.push(
      `${stringRule} ::= command "(\\"" arg "\\")"`,
      `command ::= ${commands.map(gbnfString).join(' | ')}`,
      // No `<`: an argument could otherwise spell a marker (`<eoc>`, `<|MOSS|>:`) in plain characters and end the
      // span off-grammar.
      `arg ::= [^"<\\r\\n]{1,${maxChars}}`,
    )
  }
  if (objectCommands.length > 0) {
    // Structured plugins take one JSON object (any keys: the plugin validates against its schema and the model reads
    // the reason when it does not fit). Strings cannot hold `<` for the same reason as above.
    lines.push(
      `objectcall ::= objectcommand "(" object ")"`,
      `objectcommand ::= ${objectCommands.map(gbnfString).join(' | ')}`,
      `object ::= "{" ( jstring ": " value ( ", " jstring ": " value ){0,15} )? "}"`,
      `value ::= object | array | jstring | number | "true" | "false" | "null"`,
      `array ::= "[" ( value ( ", " value ){0,31} )? "]"`,
      `jstring ::= "\\"" ( [^"\\\\<\\x00-\\x1f] | "\\\\" ["\\\\/bfnrt] ){0,${maxChars}} "\\""`,
      `number ::= "-"? [0-9]{1,15} ( "." [0-9]{1,15} )?`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** The constrained span of MOSS's first generation: the grammar above, after `<|Commands|>:`. */
export function mossCommandsSpan(plugins: FormatPlugins, bounds: MossCommandsBounds = {}): ConstrainedSpan {
  return { trigger: MOSS_ROLE.commands, gbnf: buildMossCommandsGrammar(plugins, bounds) }
}

/** Most UTF-8 bytes of one character: a grammar-constrained token is at least one byte (llama.cpp refuses empty pieces). */
const MAX_BYTES_PER_CHAR = 4

/**
 * The bounds under which every text the commands grammar accepts fits in `tokens` tokens, whatever the tokenizer:
 * one call, its argument as long as the worst case allows (every character four one-byte tokens). Under a
 * grammar-honouring backend the span then always closes with `<eoc>` within its budget.
 */
export function mossCommandsBoundsFor(plugins: FormatPlugins, tokens: number): Required<MossCommandsBounds> {
  const longest = Math.max(0, ...enabledCommands(plugins).map((c) => new TextEncoder().encode(c).length))
  // ` Cmd("` + `")` + `<eoc>` spelled in plain characters.
  const fixed = 1 + longest + 2 + 2 + MOSS_END.commands.length
  const maxArgumentChars = Math.min(MOSS_MAX_ARGUMENT_CHARS, Math.floor((tokens - fixed) / MAX_BYTES_PER_CHAR))
  return { maxCommands: maxArgumentChars >= 1 ? 1 : 0, maxArgumentChars: Math.max(0, maxArgumentChars) }
}
