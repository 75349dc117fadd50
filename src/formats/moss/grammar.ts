/**
 * The GBNF grammar of MOSS's commands span, built from the enabled plugins: ` None<eoc>` or one to four
 * `Cmd("argument")` calls (`Cmd({...})` for structured plugins) separated by `, `, closed by `<eoc>`. Arguments cannot contain `"`, `<` or a line break and
 * end after {@link MOSS_MAX_ARGUMENT_CHARS} characters.
 */
import type { ConstrainedSpan } from '../../prompt.js'
import type { FormatPlugins } from '../types.js'
import { MOSS_END, MOSS_MAX_ARGUMENT_CHARS, MOSS_MAX_COMMANDS, MOSS_NONE, MOSS_ROLE } from './markers.js'

function gbnfString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/**
 * The grammar for these plugins (only enabled ones can be called; with none enabled the span can only be `None`).
 * `maxCommands` defaults to 4.
 */
export function buildMossCommandsGrammar(plugins: FormatPlugins, maxCommands = MOSS_MAX_COMMANDS): string {
  const enabled = plugins.filter((p) => p.enabled)
  const commands = [...new Set(enabled.filter((p) => p.takesString).map((p) => p.command))]
  const objectCommands = [...new Set(enabled.filter((p) => !p.takesString).map((p) => p.command))]
  const lines = [`root ::= " " body ${gbnfString(MOSS_END.commands)}`]
  if (commands.length === 0 && objectCommands.length === 0) {
    lines.push(`body ::= ${gbnfString(MOSS_NONE)}`)
    return `${lines.join('\n')}\n`
  }
  // Nested optionals for the calls (readable, four levels); a counted repetition for the argument, which llama.cpp
  // expands itself.
  let tail = ''
  for (let i = 1; i < maxCommands; i++) tail = `( ", " call ${tail})?`
  // With only string plugins `call` is the string form itself (the grammar MOSS always had).
  const stringRule = objectCommands.length > 0 ? 'stringcall' : 'call'
  lines.push(`body ::= ${gbnfString(MOSS_NONE)} | call ${tail}`.trimEnd())
  if (objectCommands.length > 0) lines.push(`call ::= ${commands.length > 0 ? 'stringcall | objectcall' : 'objectcall'}`)
  if (commands.length > 0) {
    lines.push(
      `${stringRule} ::= command "(\\"" arg "\\")"`,
      `command ::= ${commands.map(gbnfString).join(' | ')}`,
      // No `<`: an argument could otherwise spell a marker (`<eoc>`, `<|MOSS|>:`) in plain characters and end the
      // span off-grammar.
      `arg ::= [^"<\\r\\n]{1,${MOSS_MAX_ARGUMENT_CHARS}}`,
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
      `jstring ::= "\\"" ( [^"\\\\<\\x00-\\x1f] | "\\\\" ["\\\\/bfnrt] ){0,${MOSS_MAX_ARGUMENT_CHARS}} "\\""`,
      `number ::= "-"? [0-9]{1,15} ( "." [0-9]{1,15} )?`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** The constrained span of MOSS's first generation: the grammar above, after `<|Commands|>:`. */
export function mossCommandsSpan(plugins: FormatPlugins, maxCommands = MOSS_MAX_COMMANDS): ConstrainedSpan {
  return { trigger: MOSS_ROLE.commands, gbnf: buildMossCommandsGrammar(plugins, maxCommands) }
}
