/**
 * Custom plugins named in the meta instruction (`- Weather: enabled. API: Weather(city)`), as users register them
 * with the SDK: the model reads the API line and calls it with the argument it names, in preference to Search when
 * both could answer. Results are synthesised.
 */
import { decorate } from './decorate.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { CustomPlugin, TurnSpec } from './types.js'

interface CustomKind {
  readonly plugin: CustomPlugin
  readonly value: (rng: Rng, lang: Lang) => string
  readonly ask: Record<Lang, readonly string[]>
  readonly result: (v: string, rng: Rng) => string
  readonly answer: Record<Lang, string>
}

const CITIES: Record<Lang, readonly string[]> = {
  en: ['Lisbon', 'Oslo', 'Lima', 'Seoul', 'Cairo', 'Denver', 'Osaka', 'Quito', 'Perth', 'Munich', 'Nantes', 'Bergen'],
  zh: ['西安', '南京', '重庆', '武汉', '厦门', '青岛', '昆明', '苏州', '长沙', '大连', '哈尔滨', '拉萨'],
}
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'BABA', 'SONY', 'IBM', 'ORCL', 'SAP', 'AMD']
const WORDS: Record<Lang, readonly string[]> = {
  en: ['serendipity', 'ephemeral', 'ubiquitous', 'resilient', 'meticulous', 'candid', 'lucid', 'frugal'],
  zh: ['画蛇添足', '守株待兔', '一举两得', '半途而废', '画龙点睛', '对牛弹琴', '亡羊补牢', '井底之蛙'],
}

const KINDS: readonly CustomKind[] = [
  {
    plugin: { command: 'Weather', label: 'Weather', argument: 'city' },
    value: (r, l) => r.pick(CITIES[l]),
    ask: { en: ["What's the weather in {v}?", 'Will it rain in {v} today?', 'How warm is it in {v}?', 'weather {v}', 'Is it cold in {v} now?'], zh: ['{v}天气怎么样？', '{v}今天下雨吗', '{v}现在多少度？', '查{v}天气', '{v}冷不冷'] },
    result: (v, r) => `${v}: ${r.pick(['sunny', 'cloudy', 'light rain', 'snow'])}, ${r.int(-8, 34)}°C`,
    answer: { en: 'Here is the weather: {r}.', zh: '天气情况：{r}。' },
  },
  {
    plugin: { command: 'StockQuote', label: 'Stock quotes', argument: 'symbol' },
    value: (r) => r.pick(SYMBOLS),
    ask: { en: ['What is {v} trading at?', 'Price of {v} stock?', 'How is {v} doing today?', 'quote for {v}', 'Check {v} for me'], zh: ['{v}股价多少？', '查一下{v}的股价', '{v}今天涨了吗', '{v}现在多少钱一股', '{v}行情'] },
    result: (v, r) => `${v} ${r.int(10, 900)}.${r.int(10, 99)} USD`,
    answer: { en: 'The quote is {r}.', zh: '最新报价：{r}。' },
  },
  {
    plugin: { command: 'Dictionary', label: 'Dictionary', argument: 'word' },
    value: (r, l) => r.pick(WORDS[l]),
    ask: { en: ['What does {v} mean?', 'Define {v}.', 'meaning of {v}?', 'Look up the word {v}', 'What is the definition of {v}?'], zh: ['{v}是什么意思？', '解释一下{v}', '{v}的意思', '查一下{v}这个词', '{v}怎么理解'] },
    result: (v) => `${v}: (definition from the dictionary)`,
    answer: { en: 'According to the dictionary: {r}.', zh: '词典的解释：{r}。' },
  },
]

const THINK: Record<Lang, string> = {
  en: 'The {t} plugin is enabled and fits this request; I will call it.',
  zh: '{t}插件已启用，正好适合这个请求，我来调用它。',
}

/** A custom plugin the dialogue can declare. */
export function pickCustom(rng: Rng): CustomPlugin {
  return rng.pick(KINDS).plugin
}

/** A turn that calls `plugin` (one of this module's kinds). */
export function customTurn(rng: Rng, lang: Lang, split: Split, plugin: CustomPlugin): TurnSpec {
  const kind = KINDS.find((k) => k.plugin.command === plugin.command) ?? KINDS[0]!
  const v = kind.value(rng, lang)
  const result = kind.result(v, rng)
  return {
    kind: 'custom',
    lang,
    human: decorate(rng, lang, split, fill(pickFor(rng, kind.ask[lang], split), { v })),
    thought: fill(THINK[lang], { t: plugin.label }),
    calls: [{ command: plugin.command, input: v, synthetic: result }],
    answer: ([r = result]) => fill(kind.answer[lang], { r }),
    requires: [],
    custom: plugin,
  }
}
