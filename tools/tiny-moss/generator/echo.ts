/**
 * "Repeat after me" turns over the names of the search tables: a copying drill. Copying a name exactly is what a
 * search query needs, and it is the skill a tiny model trained on interchangeable synthetic names lacks.
 */
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import { entityWord } from './search.js'
import type { TurnSpec } from './types.js'

const ASK: Record<Lang, readonly string[]> = {
  en: ['Repeat after me: {w}', 'Say exactly this: {w}', 'Please repeat: {w}', 'Can you repeat these words? {w}', 'Echo this back: {w}',
    'Copy this: {w}', 'Say it back to me: {w}', 'Repeat these names: {w}', 'Just repeat: {w}', 'Write these words again: {w}'],
  zh: ['跟我说：{w}', '请重复：{w}', '把这几个词重复一遍：{w}', '照着说一遍：{w}', '复述：{w}', '请原样写出：{w}', '重复一下：{w}',
    '跟着我念：{w}', '再说一遍：{w}', '请抄写：{w}'],
}

/**
 * Quoting drills. A search query's first word follows `("` with no space, so it is a different token from the same
 * word inside a question (`▁Hanoi` there, `Hanoi` here): without practice writing names right after a quote, a tiny
 * model cannot copy the first word of a query.
 */
const QUOTE_ASK: Record<Lang, readonly string[]> = {
  en: ['Put these names in quotes: {w}', 'Quote each of these words: {w}', 'Write these in double quotes: {w}', 'Wrap each name in quotes: {w}',
    'Give me these words quoted: {w}', 'Add quotation marks around each: {w}'],
  zh: ['给这些词加上引号：{w}', '把每个词用引号括起来：{w}', '请给下面的名字加引号：{w}', '加上引号写一遍：{w}', '用引号标出这些词：{w}', '每个词都加引号：{w}'],
}

const THINK: Record<Lang, string> = {
  en: 'The user wants me to repeat some words; no tool is needed.',
  zh: '用户让我重复一些词，不需要调用插件。',
}

/** An echo turn: the answer is the user's words, exactly, or each of them in double quotes. */
export function echoTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const list = Array.from({ length: rng.int(1, 4) }, () => entityWord(rng, lang))
  const words = list.join(lang === 'en' ? ' ' : '，')
  const quote = rng.chance(lang === 'en' ? 0.5 : 0.2)
  const answer = quote ? list.map((w) => `"${w}"`).join(lang === 'en' ? ', ' : '，') : words
  return {
    kind: 'chat',
    lang,
    human: fill(pickFor(rng, (quote ? QUOTE_ASK : ASK)[lang], split), { w: words }),
    thought: THINK[lang],
    calls: [],
    answer: () => answer,
    requires: [],
  }
}
