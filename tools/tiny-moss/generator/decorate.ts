/** Prefixes, suffixes and casing that multiply every phrasing table (held-out entries stay held out). */
import { pickFor, type Lang, type Rng, type Split } from './rng.js'

const PREFIX: Record<Lang, readonly string[]> = {
  en: ['', 'Hi, ', 'Hey MOSS, ', 'Quick question: ', 'Hello! ', '', 'OK, ', 'MOSS, ', 'Excuse me, ', 'Sorry to bother you, ',
    '', 'Hey, ', 'Please help: ', 'I have a question. ', 'Good morning! ', '', 'Hi there, ', 'One more thing: ', 'Um, ', 'So, ',
    'Hello, ', 'Yo, ', 'Dear MOSS, ', 'Question: ', 'Good evening! ', 'Hmm, ', 'Hey there! ', 'Can I ask something? ', 'By the way, ',
    'Right, ', 'Morning! ', 'Another one: ', 'Quick one: ', 'Hi MOSS! ', 'Well, '],
  zh: ['', '你好，', 'MOSS，', '请问，', '麻烦你，', '', '嗨，', '打扰一下，', '我想问一下，', '早上好！',
    '', '您好，', '问个问题：', '那个，', '喂，', '', '哈喽，', '再问一个：', '嗯，', '帮个忙，',
    '嘿，', '晚上好！', '请教一下，', '小M，', '劳驾，', '对了，', '想请你帮忙，', '你好呀，', '我有个问题，', '中午好！', '顺便问一下，',
    '亲，', '老师好，', '下午好！', '好的，'],
}

const SUFFIX: Record<Lang, readonly string[]> = {
  en: ['', '', ' Thanks!', ' Thank you.', ' Please.', '', ' Thanks in advance.', '', ' :)', ' I need it quickly.',
    '', ' Cheers.', '', ' Much appreciated.', ' ty',
    ' Thx.', ' Many thanks!', ' Please help.', ' Appreciate it.', ' Thanks a lot.', ' Asap please.', ' Thank you!', ' Cheers!', ' :D', ' Thanks, MOSS.'],
  zh: ['', '', '谢谢！', '谢谢你。', '', '急用。', '', '麻烦了。', '', '多谢。', '', '感谢！', '', '辛苦了。', '拜托了',
    '谢啦！', '请尽快。', '非常感谢。', '麻烦你了！', '谢谢啦。', '辛苦啦！', '感激不尽。', '谢了。', '有劳了。', '求助！'],
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
