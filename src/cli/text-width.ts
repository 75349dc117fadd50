/**
 * Terminal display width of text. CJK ideographs, kana, Hangul, full-width forms and emoji take two columns;
 * combining marks take none. Used to truncate tool lines without cutting a character in half or overflowing
 * the line.
 */

/** Code point ranges (inclusive) that terminals draw two columns wide: East Asian Wide and Fullwidth. */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, Kangxi, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // Fullwidth forms
  [0xffe0, 0xffe6], // Fullwidth signs
  [0x1f300, 0x1f64f], // pictographs and emoticons
  [0x1f900, 0x1f9ff], // supplemental symbols and pictographs
  [0x20000, 0x3fffd], // CJK extensions B and later
]

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

function codePointWidth(cp: number): number {
  for (const [start, end] of WIDE_RANGES) {
    if (cp >= start && cp <= end) return 2
    if (cp < start) break
  }
  return 1
}

/** Columns one grapheme cluster occupies. */
export function graphemeWidth(grapheme: string): number {
  const first = grapheme.codePointAt(0)
  if (first === undefined) return 0
  if (first < 0x20 || (first >= 0x7f && first < 0xa0)) return 0
  if (ZERO_WIDTH.test(grapheme)) return 0
  // An emoji presentation sequence (VS16) or a pictographic cluster draws wide.
  if (grapheme.includes('\ufe0f') || (PICTOGRAPHIC.test(grapheme) && first >= 0x1f000)) return 2
  return codePointWidth(first)
}

/** Columns `text` occupies on a terminal (ANSI escapes are not stripped: pass plain text). */
export function displayWidth(text: string): number {
  let width = 0
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment)
  return width
}

/**
 * Cuts `text` to at most `columns` display columns, whole grapheme clusters only, appending `…` when cut.
 * Newlines and tabs become spaces so the result stays on one line.
 */
export function truncateToWidth(text: string, columns: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ')
  if (displayWidth(flat) <= columns) return flat
  const room = Math.max(0, columns - 1)
  let width = 0
  let out = ''
  for (const { segment } of segmenter.segment(flat)) {
    const w = graphemeWidth(segment)
    if (width + w > room) break
    width += w
    out += segment
  }
  return `${out}…`
}
