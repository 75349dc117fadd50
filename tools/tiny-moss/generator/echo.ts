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

const THINK: Record<Lang, string> = {
  en: 'The user wants me to repeat some words; no tool is needed.',
  zh: '用户让我重复一些词，不需要调用插件。',
}

/** An echo turn: the answer is the user's words, exactly. */
export function echoTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const words = Array.from({ length: rng.int(1, 4) }, () => entityWord(rng, lang)).join(lang === 'en' ? ' ' : '，')
  return {
    kind: 'chat',
    lang,
    human: fill(pickFor(rng, ASK[lang], split), { w: words }),
    thought: THINK[lang],
    calls: [],
    answer: () => words,
    requires: [],
  }
}
