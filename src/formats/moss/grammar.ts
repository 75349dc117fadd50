/**
 * The GBNF grammar of MOSS's commands span, built from the enabled plugins: ` None<eoc>` or one to four
 * `Cmd("argument")` calls separated by `, `, closed by `<eoc>`. Arguments cannot contain `"`, `<` or a line break and
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
  const commands = [...new Set(plugins.filter((p) => p.enabled).map((p) => p.command))]
  const lines = [`root ::= " " body ${gbnfString(MOSS_END.commands)}`]
  if (commands.length === 0) {
    lines.push(`body ::= ${gbnfString(MOSS_NONE)}`)
    return `${lines.join('\n')}\n`
  }
  // Nested optionals for the calls (readable, four levels); a counted repetition for the argument, which llama.cpp
  // expands itself.
  let tail = ''
  for (let i = 1; i < maxCommands; i++) tail = `( ", " call ${tail})?`
  lines.push(
    `body ::= ${gbnfString(MOSS_NONE)} | call ${tail}`.trimEnd(),
    `call ::= command "(\\"" arg "\\")"`,
    `command ::= ${commands.map(gbnfString).join(' | ')}`,
    // No `<`: an argument could otherwise spell a marker (`<eoc>`, `<|MOSS|>:`) in plain characters and end the span
    // off-grammar.
    `arg ::= [^"<\\r\\n]{1,${MOSS_MAX_ARGUMENT_CHARS}}`,
  )
  return `${lines.join('\n')}\n`
}

/** The constrained span of MOSS's first generation: the grammar above, after `<|Commands|>:`. */
export function mossCommandsSpan(plugins: FormatPlugins, maxCommands = MOSS_MAX_COMMANDS): ConstrainedSpan {
  return { trigger: MOSS_ROLE.commands, gbnf: buildMossCommandsGrammar(plugins, maxCommands) }
}
