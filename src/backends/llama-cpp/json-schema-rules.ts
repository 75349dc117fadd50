/**
 * Turns the JSON Schemas of a constrained span into GBNF rules with node-llama-cpp's JSON-schema grammar (kept
 * rather than a converter of ours: it is the grammar node-llama-cpp itself uses for function calling), renamed so
 * that several schemas live in one grammar: the schema's `root` becomes the rule the span names, every other rule
 * gets that name as a prefix. The JSON is pinned to the spacing chat templates write (template-json.ts).
 */
import { LlamaJsonSchemaGrammar, type Llama } from 'node-llama-cpp'
import { argumentsGrammarSchema } from './grammar-schema.js'
import { asTemplateJson } from './template-json.js'

/** Renames the rules of `gbnf` (definitions and references, never text inside literals or classes). */
function renameRules(gbnf: string, rename: (name: string) => string): string {
  const defined = new Set([...gbnf.matchAll(/^([A-Za-z0-9-]+) ::=/gm)].map((m) => m[1] as string))
  return gbnf.replace(/"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[A-Za-z0-9-]+/g, (token) => (defined.has(token) ? rename(token) : token))
}

/** The rules of every schema, to append to a span grammar. */
export function jsonSchemaRules(llama: Llama, schemas: Readonly<Record<string, unknown>>): string {
  const out: string[] = []
  for (const [rule, schema] of Object.entries(schemas)) {
    let gbnf = new LlamaJsonSchemaGrammar(llama, argumentsGrammarSchema(schema) as never).grammar
    // The whole-completion grammar ends the root with blank lines (its stop trigger); a span continues instead.
    gbnf = gbnf.replace(/^(root ::= .*?) "\\n\\n\\n\\n" \[\\n\]\*$/m, '$1')
    // No `<` inside strings: an argument could otherwise spell `</tool_call>` or `<|im_end|>` in plain characters.
    gbnf = gbnf.replaceAll('[^"\\\\\\x7F\\x00-\\x1F]', '[^"\\\\<\\x7F\\x00-\\x1F]')
    gbnf = asTemplateJson(gbnf)
    out.push(renameRules(gbnf, (name) => (name === 'root' ? rule : `${rule}-${name}`)))
  }
  return out.join('\n')
}
