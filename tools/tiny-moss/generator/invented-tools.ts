/**
 * Custom plugins invented per dialogue: a topic (`vowel`, `邮编`, `barcode`) dressed as a command and a label the way
 * people name their tools (`VowelCount`, `Vowel counter`; sometimes a brand-like word of random letters), asked for
 * with phrasings that name the topic. custom.ts has a fixed set of kinds the model could learn by heart; here the only
 * way to the right call is to read the meta instruction's switch line, match the topic word of the request to the
 * label, and copy the span the request gives. No topic is about words, characters or sentences: the custom-plugin
 * example's `WordStats(text)` stays a tool the model has never seen.
 */
import { decorate } from './decorate.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { CustomPlugin, TurnSpec } from './types.js'
import { wildHan, wildLatin } from './wild-names.js'

/** What the tool takes: a phrase of text, a name, or a code of letters and digits. */
type ValueKind = 'text' | 'name' | 'code'

/** A topic: English singular and plural, Chinese noun, what the tool takes, and whether "how many" fits. */
type Topic = readonly [string, string, string, ValueKind, boolean]

const TOPICS: readonly Topic[] = [
  ['vowel', 'vowels', '元音', 'text', true],
  ['syllable', 'syllables', '音节', 'text', true],
  ['acronym', 'acronyms', '缩写', 'text', false],
  ['anagram', 'anagrams', '变位词', 'text', true],
  ['palindrome', 'palindromes', '回文', 'text', true],
  ['emoji', 'emojis', '表情', 'text', true],
  ['hashtag', 'hashtags', '话题标签', 'text', true],
  ['topic tag', 'topic tags', '主题', 'text', true],
  ['sentiment', 'sentiments', '情感倾向', 'text', false],
  ['summary', 'summaries', '摘要', 'text', false],
  ['headline', 'headlines', '标题', 'text', false],
  ['typo', 'typos', '错别字', 'text', true],
  ['slogan', 'slogans', '口号', 'name', false],
  ['username', 'usernames', '用户名', 'name', false],
  ['domain', 'domains', '域名', 'name', true],
  ['nickname', 'nicknames', '昵称', 'name', true],
  ['zip code', 'zip codes', '邮编', 'name', true],
  ['time zone', 'time zones', '时区', 'name', false],
  ['population', 'populations', '人口', 'name', false],
  ['area code', 'area codes', '区号', 'name', true],
  ['lyric', 'lyrics', '歌词', 'name', false],
  ['review', 'reviews', '评论', 'name', true],
  ['barcode', 'barcodes', '条形码', 'code', false],
  ['serial number', 'serial numbers', '序列号', 'code', false],
  ['invoice', 'invoices', '发票', 'code', true],
  ['order', 'orders', '订单', 'code', true],
  ['ticket', 'tickets', '工单', 'code', true],
  ['warranty', 'warranties', '保修', 'code', false],
  ['license', 'licenses', '许可证', 'code', false],
  ['gene', 'genes', '基因', 'code', true],
]

const TOOL_SUFFIX = ['', 'Lookup', 'Info', 'Finder', 'Check', 'Tool', 'Stats', 'Search', 'Helper', 'Api']
const LABEL_SUFFIX = ['lookup', 'finder', 'checker', 'tool', 'info', 'statistics', 'search', 'helper', 'service']
const ZH_LABEL_SUFFIX = ['查询', '统计', '工具', '助手', '检查']
const ARGUMENTS = ['text', 'query', 'input', 'q', 'value', 'name', 'id']

const ASK: Record<Lang, readonly string[]> = {
  en: ['What is the {noun} of "{v}"?', 'Look up the {noun} for {v}', 'Find the {pl} in "{v}"', 'Check the {noun} of {v}',
    'Get me the {noun} for "{v}"', '{Noun} of "{v}"?', 'Can you use the {label} on "{v}"?', 'Run {command} on "{v}"',
    'I need the {pl} of {v}', 'About "{v}": what {pl} does it have?', 'Please check {v} with the {noun} tool', 'Show me the {noun} for {v}'],
  zh: ['"{v}"的{zn}是什么', '查一下{v}的{zn}', '帮我找"{v}"的{zn}', '用{label}查"{v}"', '{v}的{zn}', '给我"{v}"的{zn}',
    '看看{v}的{zn}', '请查询"{v}"的{zn}', '我想知道{v}的{zn}', '{zn}：{v}', '帮我查{v}的{zn}', '麻烦查一下"{v}"的{zn}'],
}

const COUNT: Record<Lang, readonly string[]> = {
  en: ['How many {pl} are in "{v}"?', 'Count the {pl} in "{v}"', 'how many {pl} does {v} have', 'Number of {pl} in "{v}"?',
    'Count {pl}: {v}', 'Tell me how many {pl} "{v}" has'],
  zh: ['"{v}"有几个{zn}', '统计一下"{v}"的{zn}', '{v}里有多少{zn}', '数一数"{v}"的{zn}', '"{v}"中{zn}的数量', '算一下{v}有几个{zn}'],
}

const TEXT_WORDS = ['the', 'quiet', 'river', 'runs', 'under', 'a', 'red', 'bridge', 'my', 'cat', 'likes', 'warm', 'milk',
  'every', 'morning', 'we', 'walk', 'to', 'school', 'happy', 'new', 'year', 'open', 'door', 'blue', 'sky', 'and', 'green',
  'hills', 'slow', 'trains', 'sing', 'loud', 'little', 'star', 'good', 'night', 'moon', 'all', 'is', 'well', 'never', 'give', 'up']
const HAN_COMMON = [...'天地人山水风花雪月春秋日光明心中国家学生好大小长高开门书画茶酒路行走来去笑说听看']

const CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

/** The span the request hands to the tool, in the request's language. */
function value(rng: Rng, kind: ValueKind, lang: Lang): string {
  if (kind === 'code') {
    const letters = Array.from({ length: rng.int(1, 3) }, () => rng.pick([...CODE_LETTERS])).join('')
    return `${letters}${rng.chance(0.4) ? '-' : ''}${rng.int(1000, 9_999_999)}`
  }
  if (kind === 'name') return lang === 'zh' && rng.chance(0.6) ? wildHan(rng, rng.int(2, 4), HAN_COMMON, 0.4) : wildLatin(rng)
  if (lang === 'zh' && rng.chance(0.7)) return wildHan(rng, rng.int(3, 8), HAN_COMMON, 0.2)
  const words = Array.from({ length: rng.int(2, 6) }, () => (rng.chance(0.2) ? wildLatin(rng).toLowerCase() : rng.pick(TEXT_WORDS)))
  return words.join(' ')
}

const camel = (s: string): string => s.split(' ').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')

/** An invented custom plugin and the topic its requests name. */
export interface InventedTool extends CustomPlugin {
  readonly topic: Topic
}

/** A new tool: `VowelCount` / `Vowel statistics` / `text`, or a brand-like command under a descriptive label. */
export function inventTool(rng: Rng): InventedTool {
  const topic = rng.pick(TOPICS)
  const noun = topic[0]
  const command = rng.chance(0.15) ? wildLatin(rng) : camel(noun) + (topic[4] && rng.chance(0.25) ? 'Count' : rng.pick(TOOL_SUFFIX))
  const label = rng.chance(0.25) ? `${topic[2]}${rng.pick(ZH_LABEL_SUFFIX)}`
    : `${noun[0]!.toUpperCase()}${noun.slice(1)} ${topic[4] && rng.chance(0.25) ? 'counter' : rng.pick(LABEL_SUFFIX)}`
  return { command, label, argument: rng.pick(ARGUMENTS), topic }
}

/** Whether a plugin of the dialogue is one of this module's. */
export function isInvented(plugin: CustomPlugin): plugin is InventedTool {
  return 'topic' in plugin
}

/** The thought before any custom plugin's call, fixed or invented: the label, then the decision. */
export const CUSTOM_THOUGHT: Record<Lang, string> = {
  en: 'The {t} plugin is enabled and fits this request; I will call it.',
  zh: '{t}插件已启用，正好适合这个请求，我来调用它。',
}

const ANSWER: Record<Lang, string> = { en: 'The {t} says: {r}.', zh: '{t}的结果：{r}。' }

/** A turn that calls the invented `tool` with a span of the request. */
export function inventedTurn(rng: Rng, lang: Lang, split: Split, tool: InventedTool): TurnSpec {
  const [noun, pl, zn, kind, countable] = tool.topic
  const v = value(rng, kind, lang)
  const table = countable && rng.chance(0.4) ? COUNT[lang] : ASK[lang]
  const slots = { v, noun, pl, zn, Noun: noun[0]!.toUpperCase() + noun.slice(1), label: tool.label, command: tool.command }
  const result = `${v}: (${noun} result ${rng.int(1, 99)})`
  return {
    kind: 'custom',
    lang,
    human: decorate(rng, lang, split, fill(pickFor(rng, table, split), slots)),
    thought: fill(CUSTOM_THOUGHT[lang], { t: tool.label }),
    calls: [{ command: tool.command, input: v, synthetic: result }],
    answer: ([r = result]) => fill(ANSWER[lang], { t: tool.label, r }),
    requires: [],
    custom: tool,
  }
}
