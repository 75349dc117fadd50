/**
 * A plugin written from scratch with `definePlugin`: `WordStats("text")` counts characters, words and sentences.
 * CJK text has no spaces between words, so each Han character, kana run or Hangul word is counted as a word.
 */
import { definePlugin, InvalidInputError } from 'moss-agent'
import type { Plugin } from 'moss-agent'

/** Options of {@link wordStats}. */
export interface WordStatsOptions {
  /** Longest accepted input in characters. Defaults to `10000`. */
  readonly maxChars?: number
}

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' })
const sentenceSegmenter = new Intl.Segmenter('zh', { granularity: 'sentence' })

/** Counts of a text. */
export interface TextStats {
  readonly characters: number
  readonly words: number
  readonly sentences: number
}

/** Counts characters (code points, spaces excluded), words and sentences of `text`. */
export function countText(text: string): TextStats {
  const characters = Array.from(text.replace(/\s+/g, '')).length
  let words = 0
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) words++
  let sentences = 0
  for (const segment of sentenceSegmenter.segment(text)) if (segment.segment.trim() !== '') sentences++
  return { characters, words, sentences }
}

/** Creates the plugin. */
export function wordStats(options: WordStatsOptions = {}): Plugin {
  const maxChars = options.maxChars ?? 10_000
  return definePlugin({
    name: 'word-stats',
    command: 'WordStats',
    label: 'Word statistics',
    description: 'Counts the characters, words and sentences of a text.',
    parameters: {
      type: 'object',
      properties: { text: { type: 'string', description: 'The text to count' } },
      required: ['text'],
    },
    timeoutMs: 1_000,
    run(input, ctx) {
      if (input.length > maxChars) throw new InvalidInputError(`text longer than ${maxChars} characters`)
      if (ctx.signal.aborted) throw new InvalidInputError('aborted')
      const stats = countText(input)
      return `${stats.characters} characters, ${stats.words} words, ${stats.sentences} sentences`
    },
  })
}

/** The default export is what `moss chat --plugin ./examples/custom-plugin/dist/word-stats.js` loads (a factory). */
export default wordStats
