/**
 * MOSS cites search results as `<sup><|1|></sup>` (and sometimes a bare `<|1|>`). A terminal shows them as `[1]`.
 * Text arrives in deltas that may cut a marker anywhere, so a tail that could still become one is held back until
 * the next delta (or {@link CitationFilter.flush}) decides it.
 */

/** A whole citation, either form. */
const CITATION = /<sup><\|(\d{1,3})\|><\/sup>|<\|(\d{1,3})\|>/g

/** The pieces of `<sup><|N|></sup>`, as regex sources; `<|N|>` is the slice from the second `<`. */
const PIECES = ['<', 's', 'u', 'p', '>', '<', '\\|', '\\d{1,3}', '\\|', '>', '<', '/', 's', 'u', 'p', '>']
const FORMS = [PIECES, PIECES.slice(5, 10)]

/** Every prefix of either form, the whole form included (digits may be cut short too). */
const PARTIAL = new RegExp(`^(?:${FORMS.flatMap((form) => form.map((_, end) => form.slice(0, end + 1).join(''))).join('|')})$`)

/** Longest text a marker can span: what may ever be held back. */
const LONGEST = '<sup><|999|></sup>'.length

/** Replaces citation markup in `text` with `[N]`. */
export function renderCitations(text: string): string {
  return text.replace(CITATION, (_, sup: string | undefined, bare: string | undefined) => `[${sup ?? bare}]`)
}

/** Streams text through {@link renderCitations}, holding back a tail that may be the start of a marker. */
export class CitationFilter {
  #held = ''

  /** Returns the text that can be shown now. */
  push(text: string): string {
    // Decide on the raw text: a complete bare `<|1|>` may still be the middle of `<sup><|1|></sup>`.
    const raw = this.#held + text
    for (let i = raw.indexOf('<', Math.max(0, raw.length - LONGEST)); i !== -1; i = raw.indexOf('<', i + 1)) {
      if (PARTIAL.test(raw.slice(i))) {
        this.#held = raw.slice(i)
        return renderCitations(raw.slice(0, i))
      }
    }
    this.#held = ''
    return renderCitations(raw)
  }

  /** Returns what is still held back, rendered (the answer ended). */
  flush(): string {
    const held = this.#held
    this.#held = ''
    return renderCitations(held)
  }
}
