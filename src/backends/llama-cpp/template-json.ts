/**
 * Pins node-llama-cpp's JSON-schema grammar to the JSON chat templates write. Its rules let the model write compact,
 * spaced or indented JSON (`":" [ ]?` after a key, a newline and indentation or one optional space after `{`, `[`
 * and `,`); a template's `tojson` is Python's `json.dumps`: `": "` and `", "`, nothing inside the brackets, and every
 * JSON format renders a call that way (formats/common/py-json.ts). A call written under the pinned rules is already
 * its canonical text: the format rewrites nothing and the KV cache stays as generated.
 */

/** The rule that node-llama-cpp names for its string characters, with the escapes a renderer never writes. */
const LOOSE_ESCAPES = '"\\\\" ["\\\\/bfnrt] | "\\\\u" [0-9a-fA-F]{4}'
/** `\/` is written `/`, and `\uXXXX` only for control characters: any other character is written as itself. */
const RENDERED_ESCAPES = '"\\\\" ["\\\\bfnrt] | "\\\\u00" [01] [0-9a-f]'

/**
 * Numbers as the renderer writes them (`JSON.stringify` of the parsed value): no exponent, no `-0`, no trailing zero
 * in a fraction (`2.50` and `1e3` would come back as `2.5` and `1000`), and no more digits than a double holds
 * exactly (15 significant; a random-weight model filling node-llama-cpp's 16 digits wrote `…7` and got `…6` back).
 * A fraction keeps at most 7 digits before its point and 6 after, at most 5 zeros after `0.` (below 1e-6 the
 * renderer switches to an exponent).
 */
const FRACTION = '"." [0-9]{0,5} [1-9]'
const RENDERED_NUMBERS: Readonly<Record<string, string>> = {
  'integer-number-rule': '"0" | "-"? [1-9] [0-9]{0,14}',
  'fractional-number-rule': `"0" | "-"? ( [1-9] [0-9]{0,14} | [1-9] [0-9]{0,6} ${FRACTION} | "0" ${FRACTION} )`,
}

/** A GBNF line as tokens: string literals and character classes whole, runs of spaces, runs of anything else. */
const GBNF_TOKENS = /"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|\s+|[^\s"[]+/g

/** Replaces the key separator `":" [ ]?` by `": "`, token by token so that no literal's content is touched. */
function spacedKeySeparators(line: string): string {
  const tokens = line.match(GBNF_TOKENS) ?? []
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const after = tokens[i + 3] ?? ''
    if (tokens[i] === '":"' && /^\s+$/.test(tokens[i + 1] ?? '') && tokens[i + 2] === '[ ]' && after.startsWith('?')) {
      out.push('": "', after.slice(1))
      i += 3
    } else out.push(tokens[i] as string)
  }
  return out.join('')
}

/**
 * Rewrites node-llama-cpp's rules (before renaming) to the template's JSON: its whitespace rules (`whitespace-…-rule`)
 * match nothing, its comma rules (`comma-whitespace-…-rule`) exactly `", "`, every key separator is `": "`, numbers
 * have their rendered form. String escapes are narrowed to those the renderer writes (`\/` and `\u4e2d` would be
 * rewritten), which also keeps `\u003c` from putting a `<` into a string past the rule that keeps markers out of
 * arguments.
 */
export function asTemplateJson(gbnf: string): string {
  return gbnf
    .replaceAll(LOOSE_ESCAPES, RENDERED_ESCAPES)
    .split('\n')
    .map((line) => {
      const rule = /^([A-Za-z0-9-]+) ::= /.exec(line)?.[1]
      if (rule === undefined) return line
      if (/^whitespace-[A-Za-z0-9-]*rule$/.test(rule)) return `${rule} ::= ""`
      if (/^comma-whitespace-[A-Za-z0-9-]*rule$/.test(rule)) return `${rule} ::= ", "`
      const number = RENDERED_NUMBERS[rule]
      if (number !== undefined) return `${rule} ::= ${number}`
      return spacedKeySeparators(line)
    })
    .join('\n')
}
