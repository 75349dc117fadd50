/** A span grammar adapted to the model's vocabulary. */
export interface PreparedSpanGrammar {
  /** The GBNF to compile. */
  readonly gbnf: string
  /**
   * A stop marker that the original grammar ended with and that is an end-of-generation token in this model. It was
   * cut from the grammar: see {@link prepareSpanGrammar}.
   */
  readonly closingMarker?: string
}

/**
 * llama.cpp's grammar sampler lets an end-of-generation token through only once the grammar is complete, so a
 * literal `"<eoc>"` at the end of a grammar can only be spelled with five plain tokens when `<eoc>` is an EOG
 * control token — and then the transcript no longer matches the trusted tokenization of the marker. Cutting the
 * marker from the string literals that end with it makes the grammar complete right before it: the model's next
 * (only allowed) choice is an end-of-generation token, which the session records as the marker's control token.
 * Markers that are not EOG tokens are left alone (their control token's text matches the literal).
 */
export function prepareSpanGrammar(gbnf: string, eogMarkers: readonly string[]): PreparedSpanGrammar {
  for (const marker of eogMarkers) {
    const quoted = gbnfStringBody(marker)
    if (!gbnf.includes(`${quoted}"`)) continue
    let found = false
    // Only double-quoted literals ending with the marker; `\"` inside literals is skipped by the pattern.
    const rewritten = gbnf.replace(/"((?:[^"\\]|\\.)*)"/g, (literal: string, body: string) => {
      if (!body.endsWith(quoted)) return literal
      found = true
      return `"${body.slice(0, body.length - quoted.length)}"`
    })
    if (found) return { gbnf: rewritten, closingMarker: marker }
  }
  return { gbnf }
}

/** The marker as it appears inside a GBNF double-quoted literal. */
function gbnfStringBody(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
