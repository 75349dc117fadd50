/** Turns HTML-ish snippets from search services into plain, single-line text. */

/** Named entities seen in search snippets; anything else named is left as written. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  bull: '•',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  divide: '÷',
  minus: '−',
  plusmn: '±',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
}

/** Elements whose content is never text a reader sees. */
const INVISIBLE_ELEMENTS = ['script', 'style', 'noscript', 'template', 'head', 'svg'] as const

/** Longest snippet kept; the dialogue format cuts further (MOSS: 400 characters). */
export const MAX_SNIPPET_CHARS = 2000

/** Decodes `&amp;`, `&#39;`, `&#x4E0A;` and the named entities above. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole
  })
}

/** Removes tags (and invisible elements with their content), keeping line breaks where blocks ended. */
export function stripTags(html: string): string {
  let text = html.replace(/<!--[\s\S]*?-->/g, ' ')
  for (const element of INVISIBLE_ELEMENTS) {
    text = text.replace(new RegExp(`<${element}\\b[\\s\\S]*?</${element}\\s*>`, 'gi'), ' ')
  }
  return text
    .replace(/<\/?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|pre|dd|dt)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
}

/** Collapses all whitespace (including full-width spaces and line breaks) to single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u3000]+/g, ' ').trim()
}

/** HTML snippet → plain single-line text, capped at {@link MAX_SNIPPET_CHARS}. */
export function cleanSnippet(html: string, maxChars = MAX_SNIPPET_CHARS): string {
  const text = collapseWhitespace(decodeEntities(stripTags(html)))
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
}
