/** Prefixes, suffixes and casing that multiply every phrasing table (held-out entries stay held out). */
import { pickFor, type Lang, type Rng, type Split } from './rng.js'

const PREFIX: Record<Lang, readonly string[]> = {
  en: ['', 'Hi, ', 'Hey MOSS, ', 'Quick question: ', 'Hello! ', '', 'OK, ', 'MOSS, ', 'Excuse me, ', 'Sorry to bother you, ',
    '', 'Hey, ', 'Please help: ', 'I have a question. ', 'Good morning! ', '', 'Hi there, ', 'One more thing: ', 'Um, ', 'So, '],
  zh: ['', '你好，', 'MOSS，', '请问，', '麻烦你，', '', '嗨，', '打扰一下，', '我想问一下，', '早上好！',
    '', '您好，', '问个问题：', '那个，', '喂，', '', '哈喽，', '再问一个：', '嗯，', '帮个忙，'],
}

const SUFFIX: Record<Lang, readonly string[]> = {
  en: ['', '', ' Thanks!', ' Thank you.', ' Please.', '', ' Thanks in advance.', '', ' :)', ' I need it quickly.',
    '', ' Cheers.', '', ' Much appreciated.', ' ty'],
  zh: ['', '', '谢谢！', '谢谢你。', '', '急用。', '', '麻烦了。', '', '多谢。', '', '感谢！', '', '辛苦了。', '拜托了'],
}

/** Wraps a question in a random prefix and suffix and sometimes lower-cases its first letter. */
export function decorate(rng: Rng, lang: Lang, split: Split, core: string): string {
  let text = core
  const prefix = rng.chance(0.4) ? pickFor(rng, PREFIX[lang], split) : ''
  const suffix = rng.chance(0.3) ? pickFor(rng, SUFFIX[lang], split) : ''
  if (lang === 'en' && prefix !== '' && !/[.!?:]\s$/.test(prefix) && /^[A-Z][a-z]/.test(text)) text = text[0]!.toLowerCase() + text.slice(1)
  if (lang === 'en' && prefix === '' && rng.chance(0.1)) text = text[0]!.toLowerCase() + text.slice(1)
  if (lang === 'en' && rng.chance(0.1)) text = text.replace(/[?.!]$/, '')
  return `${prefix}${text}${suffix}`
}
