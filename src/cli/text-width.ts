/**
 * Terminal display width of text, measured by string-width (Unicode East Asian Width and emoji data: CJK, full-width
 * forms and emoji presentation take two columns, combining marks none). It replaced a hand-written range table that
 * measured ⌚ ☕ ⚡ ✅ and flag pairs one column wide (5 of a 33-sample set of wide and tricky graphemes; string-width
 * matched Unicode's East Asian Width on all 33). Used to truncate tool lines without cutting a character in half
 * or overflowing the line.
 */
import stringWidth from 'string-width'

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Columns `text` occupies on a terminal (ANSI escape sequences count as zero). */
export function displayWidth(text: string): number {
  return stringWidth(text)
}

/**
 * Cuts `text` to at most `columns` display columns, whole grapheme clusters only, appending `…` when cut.
 * Newlines and tabs become spaces so the result stays on one line.
 */
export function truncateToWidth(text: string, columns: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ')
  if (stringWidth(flat) <= columns) return flat
  const room = Math.max(0, columns - 1)
  let width = 0
  let out = ''
  for (const { segment } of segmenter.segment(flat)) {
    const w = stringWidth(segment)
    if (width + w > room) break
    width += w
    out += segment
  }
  return `${out}…`
}
