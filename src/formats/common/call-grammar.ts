/**
 * The constrained span of a tagged tool call: once the model has written the opening tag, the grammar makes it
 * write `{"name": "<a tool>", "arguments": <JSON of that tool's schema>}`, the closing tag, then either another call
 * or the end marker. The arguments' rules come from each plugin's `parameters` (the backend turns `jsonSchemas`
 * into GBNF), so a constrained call always parses and names a real tool.
 */
import type { ConstrainedSpan } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'

/** A GBNF string literal. */
export function gbnfLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** Markers of the span: the tag that triggers it, the closing tag, and the end marker that stops the generation. */
export interface CallGrammarMarkers {
  readonly open: string
  readonly close: string
  readonly end: string
}

/** The span for these enabled plugins (`undefined` when there are none). */
export function toolCallSpan(enabled: readonly Plugin[], markers: CallGrammarMarkers): ConstrainedSpan | undefined {
  if (enabled.length === 0) return undefined
  const choices = enabled.map((plugin, i) => `${gbnfLiteral(`${plugin.command}", "arguments": `)} args-${i}`)
  const gbnf = [
    `root ::= call ( ${gbnfLiteral(`\n${markers.open}`)} call )* ${gbnfLiteral(markers.end)}`,
    `call ::= ${gbnfLiteral('\n{"name": "')} ( ${choices.join(' | ')} ) ${gbnfLiteral(`}\n${markers.close}`)}`,
  ].join('\n')
  const jsonSchemas = Object.fromEntries(enabled.map((plugin, i) => [`args-${i}`, plugin.parameters]))
  return { trigger: markers.open, gbnf: `${gbnf}\n`, jsonSchemas }
}
