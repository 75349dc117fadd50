/** Plain text and passages from the user's documents (text, Markdown, HTML). */
import { collapseWhitespace, decodeEntities, stripTags } from '../clean-text.js'

/** File extensions indexed, and how each is read. */
export const DOCUMENT_KINDS: Readonly<Record<string, 'text' | 'markdown' | 'html'>> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.html': 'html',
  '.htm': 'html',
}

/** Passages aim at this many characters: about what a model can quote (MOSS cuts snippets at 400). */
export const PASSAGE_CHARS = 400

/** Markdown syntax that carries no meaning for a reader, as [pattern, replacement] pairs. */
const MARKDOWN_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^```[^\n]*$/gm, ''],
  [/!\[([^\]]*)\]\([^)]*\)/g, '$1'],
  [/\[([^\]]+)\]\([^)]*\)/g, '$1'],
  [/^\s{0,3}#{1,6}\s+/gm, ''],
  [/^\s{0,3}>\s?/gm, ''],
  [/^\s*[-*+]\s+/gm, ''],
  [/(\*\*|__)(.+?)\1/g, '$2'],
  [/`([^`]+)`/g, '$1'],
]

/** Document text with paragraphs separated by blank lines. */
export function documentText(content: string, kind: 'text' | 'markdown' | 'html'): string {
  let text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  if (kind === 'html') {
    text = decodeEntities(stripTags(text))
      .split('\n')
      .map((line) => line.trim())
      .join('\n')
      .replace(/\n{2,}/g, '\n\n')
    // Block tags became single breaks: treat each as a paragraph boundary.
    text = text.replace(/\n/g, '\n\n')
  } else if (kind === 'markdown') {
    for (const [pattern, replacement] of MARKDOWN_RULES) text = text.replace(pattern, replacement)
  }
  return text
}

/** Sentence ends in Chinese/Japanese and Western text. */
const SENTENCE_END = /(?<=[。！？!?；;])|(?<=\.)\s+/u

/** Splits one over-long paragraph at sentence ends, then hard-cuts what is still too long. */
function splitParagraph(paragraph: string): string[] {
  const pieces: string[] = []
  let current = ''
  for (const raw of paragraph.split(SENTENCE_END)) {
    const sentence = raw.trim()
    if (!sentence) continue
    const joined = current ? (/[\p{Script=Han}]$/u.test(current) ? current + sentence : `${current} ${sentence}`) : sentence
    if (joined.length <= PASSAGE_CHARS) {
      current = joined
      continue
    }
    if (current) pieces.push(current)
    current = sentence
    while (current.length > PASSAGE_CHARS) {
      pieces.push(current.slice(0, PASSAGE_CHARS))
      current = current.slice(PASSAGE_CHARS)
    }
  }
  if (current) pieces.push(current)
  return pieces
}

/** Cuts document text into passages of about {@link PASSAGE_CHARS}, merging short paragraphs. */
export function toPassages(text: string): string[] {
  const passages: string[] = []
  let current = ''
  for (const raw of text.split(/\n\s*\n/)) {
    const paragraph = collapseWhitespace(raw)
    if (!paragraph) continue
    for (const piece of paragraph.length > PASSAGE_CHARS ? splitParagraph(paragraph) : [paragraph]) {
      if (current && current.length + piece.length + 1 > PASSAGE_CHARS) {
        passages.push(current)
        current = piece
      } else {
        current = current ? `${current} ${piece}` : piece
      }
    }
  }
  if (current) passages.push(current)
  return passages
}
