/**
 * Custom plugins named in the meta instruction (`- Weather: enabled. API: Weather(city)`), as users register them
 * with the SDK: the model reads the API line and calls it with the argument it names, in preference to Search when
 * both could answer. Results are synthesised.
 *
 * Many kinds, so that the model learns to match a request to whichever tool the meta instruction names (its command
 * and label usually share a word with the request: "synonym" → `Synonyms(word)`) and to copy the span the tool
 * needs, often quoted, rather than to remember a few tools. None counts words or characters: the custom-plugin
 * example's `WordStats(text)` stays a tool the model has never seen.
 */
import { decorate } from './decorate.js'
import { CUSTOM_THOUGHT, inventedTurn, inventTool, isInvented } from './invented-tools.js'
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

/** A compact row: command, label, argument, values per language, questions per language, result, answers. */
type Row = readonly [string, string, string, Record<Lang, readonly string[]>, Record<Lang, readonly string[]>, string, Record<Lang, string>]

const ROWS: readonly Row[] = [
  ['Translate', 'Translator', 'text', { en: ['good morning', 'thank you very much', 'where is the station', 'I love reading'], zh: ['早上好', '非常感谢', '火车站在哪里', '我喜欢读书'] },
    { en: ['Translate "{v}" into French', 'How do you say "{v}" in Spanish?', 'translate {v} to German', 'What is "{v}" in Japanese?'], zh: ['把"{v}"翻译成英文', '"{v}"用英语怎么说', '翻译一下：{v}', '"{v}"的法语是什么'] },
    '{v} → (translation)', { en: 'The translation is: {r}.', zh: '翻译结果：{r}。' }],
  ['Synonyms', 'Thesaurus', 'word', { en: ['happy', 'quick', 'brave', 'quiet', 'smart'], zh: ['高兴', '美丽', '勇敢', '安静', '聪明'] },
    { en: ['Give me a synonym for {v}', 'What is another word for {v}?', 'synonyms of {v}', 'A word that means {v}?'], zh: ['{v}的近义词是什么', '给我几个{v}的同义词', '{v}有哪些近义词', '和{v}意思相近的词'] },
    '{v}: (synonyms)', { en: 'Synonyms: {r}.', zh: '近义词：{r}。' }],
  ['Rhymes', 'Rhyme finder', 'word', { en: ['cat', 'moon', 'light', 'rain', 'heart'], zh: ['花', '天', '光', '心', '月'] },
    { en: ['What rhymes with {v}?', 'words that rhyme with {v}', 'Find a rhyme for {v}', 'Give me rhymes for {v}'], zh: ['和"{v}"押韵的字有哪些', '"{v}"的韵脚', '找几个和{v}押韵的字', '什么字跟{v}押韵'] },
    '{v}: (rhymes)', { en: 'Rhymes: {r}.', zh: '押韵的字：{r}。' }],
  ['Recipe', 'Recipe finder', 'dish', { en: ['mapo tofu', 'pancakes', 'tomato soup', 'fried rice'], zh: ['麻婆豆腐', '红烧肉', '番茄炒蛋', '饺子'] },
    { en: ['How do I cook {v}?', 'recipe for {v}', 'Find me a recipe for {v}', 'How to make {v} at home?'], zh: ['{v}怎么做', '给我一个{v}的菜谱', '教我做{v}', '{v}的做法'] },
    '{v}: (recipe steps)', { en: 'Here is the recipe: {r}.', zh: '菜谱如下：{r}。' }],
  ['FlightStatus', 'Flight status', 'flight', { en: ['CA981', 'BA117', 'LH400', 'UA857'], zh: ['CA1501', 'MU5101', 'CZ3101', 'HU7181'] },
    { en: ['Is flight {v} on time?', 'status of flight {v}', 'When does {v} land?', 'Check flight {v} for me'], zh: ['{v}航班准点吗', '查一下{v}航班', '{v}什么时候到', '航班{v}的状态'] },
    '{v}: (on time, gate B12)', { en: 'Flight status: {r}.', zh: '航班状态：{r}。' }],
  ['Calories', 'Nutrition facts', 'food', { en: ['an apple', 'a banana', 'a bowl of rice', 'a slice of pizza'], zh: ['一个苹果', '一根香蕉', '一碗米饭', '一块披萨'] },
    { en: ['How many calories in {v}?', 'calories of {v}', 'Is {v} high in calories?', 'nutrition facts for {v}'], zh: ['{v}有多少卡路里', '{v}的热量是多少', '{v}热量高吗', '查一下{v}的营养成分'] },
    '{v}: (calories)', { en: 'Nutrition facts: {r}.', zh: '营养成分：{r}。' }],
  ['Holidays', 'Public holidays', 'country', { en: ['France', 'Japan', 'Brazil', 'Canada'], zh: ['法国', '日本', '巴西', '加拿大'] },
    { en: ['What are the public holidays in {v}?', 'holidays in {v} this year', 'When are the bank holidays in {v}?', 'List the holidays of {v}'], zh: ['{v}有哪些法定节假日', '{v}今年的节假日', '查一下{v}的公共假期', '{v}放什么假'] },
    '{v}: (holiday list)', { en: 'Public holidays: {r}.', zh: '公共假期：{r}。' }],
  ['Joke', 'Joke teller', 'topic', { en: ['cats', 'programmers', 'the weather', 'coffee'], zh: ['猫', '程序员', '天气', '咖啡'] },
    { en: ['Tell me a joke about {v}', 'a funny joke about {v}', 'Do you know a joke about {v}?', 'make me laugh with a joke on {v}'], zh: ['讲一个关于{v}的笑话', '来个{v}的笑话', '有没有关于{v}的笑话', '说个{v}相关的笑话'] },
    '{v}: (a joke)', { en: 'Here is one: {r}.', zh: '笑话来了：{r}。' }],
  ['Quotes', 'Famous quotes', 'author', { en: ['Einstein', 'Shakespeare', 'Confucius', 'Marie Curie'], zh: ['孔子', '鲁迅', '李白', '爱因斯坦'] },
    { en: ['Give me a quote by {v}', 'famous quotes from {v}', 'What did {v} say about life?', 'a quote of {v} please'], zh: ['{v}有什么名言', '给我一句{v}的名言', '{v}说过哪些话', '来一句{v}的语录'] },
    '{v}: (a quote)', { en: 'A quote: {r}.', zh: '名言：{r}。' }],
  ['Pinyin', 'Pinyin', 'text', { en: ['你好', '谢谢', '中国', '朋友'], zh: ['你好', '谢谢', '中国', '朋友'] },
    { en: ['What is the pinyin of "{v}"?', 'pinyin for {v}', 'How do you pronounce "{v}"?', 'Give me the pinyin of {v}'], zh: ['"{v}"的拼音是什么', '{v}怎么读', '给{v}注音', '"{v}"用拼音怎么写'] },
    '{v}: (pinyin)', { en: 'The pinyin is {r}.', zh: '拼音是{r}。' }],
  ['SpellCheck', 'Spell checker', 'text', { en: ['recieve', 'definately', 'seperate', 'occured'], zh: ['再接再励', '迫不急待', '一愁莫展', '按步就班'] },
    { en: ['Is "{v}" spelled right?', 'check the spelling of {v}', 'How do you spell {v} correctly?', 'spell check: {v}'], zh: ['"{v}"写对了吗', '检查一下"{v}"有没有错别字', '{v}这个词对吗', '帮我查错别字：{v}'] },
    '{v}: (corrected)', { en: 'The spelling check says: {r}.', zh: '检查结果：{r}。' }],
  ['TrackParcel', 'Parcel tracking', 'number', { en: ['SF1234567890', 'YT9876543210', 'JD0011223344', 'EMS556677889'], zh: ['SF1234567890', 'YT9876543210', 'JD0011223344', 'ZTO778899001'] },
    { en: ['Where is my parcel {v}?', 'track package {v}', 'tracking number {v} status', 'Has parcel {v} arrived?'], zh: ['快递{v}到哪了', '查一下快递{v}', '单号{v}的物流', '我的包裹{v}到了吗'] },
    '{v}: (in transit)', { en: 'Tracking: {r}.', zh: '物流信息：{r}。' }],
  ['ExchangeRate', 'Exchange rates', 'currency', { en: ['EUR', 'JPY', 'GBP', 'CNY'], zh: ['美元', '欧元', '日元', '英镑'] },
    { en: ["What's the exchange rate for {v}?", '{v} exchange rate today', 'How much is one {v} worth?', 'rate of {v} against the dollar'], zh: ['{v}汇率是多少', '今天{v}兑人民币多少', '查一下{v}的汇率', '一{v}能换多少人民币'] },
    '{v}: (rate)', { en: 'The exchange rate: {r}.', zh: '汇率：{r}。' }],
  ['MovieInfo', 'Movie database', 'title', { en: ['Inception', 'Spirited Away', 'Titanic', 'Up'], zh: ['霸王别姬', '大话西游', '千与千寻', '让子弹飞'] },
    { en: ['Tell me about the movie {v}', 'Who stars in {v}?', 'movie info for {v}', 'What is {v} about?'], zh: ['电影{v}讲了什么', '{v}是谁主演的', '介绍一下电影{v}', '{v}的评分'] },
    '{v}: (movie details)', { en: 'Movie details: {r}.', zh: '电影信息：{r}。' }],
  ['Horoscope', 'Horoscope', 'sign', { en: ['Leo', 'Aries', 'Virgo', 'Pisces'], zh: ['狮子座', '白羊座', '处女座', '双鱼座'] },
    { en: ["What's the horoscope for {v} today?", '{v} horoscope', 'Read me the {v} horoscope', 'horoscope {v} this week'], zh: ['{v}今天运势如何', '{v}本周运势', '看看{v}的星座运势', '{v}运势'] },
    '{v}: (horoscope)', { en: 'Horoscope: {r}.', zh: '运势：{r}。' }],
  ['ColorName', 'Color names', 'hex', { en: ['#FF5733', '#00A86B', '#4169E1', '#FFD700'], zh: ['#FF5733', '#00A86B', '#4169E1', '#FFD700'] },
    { en: ['What color is {v}?', 'name the color {v}', 'Which color name is {v}?', 'color {v} is called what?'], zh: ['{v}是什么颜色', '颜色{v}叫什么', '{v}这个色值是什么颜色', '告诉我{v}的颜色名'] },
    '{v}: (color name)', { en: 'That color is {r}.', zh: '这个颜色是{r}。' }],
]

const fromRow = ([command, label, argument, values, ask, result, answer]: Row): CustomKind => ({
  plugin: { command, label, argument },
  value: (r, l) => r.pick(values[l]),
  ask,
  result: (v) => result.replace('{v}', v),
  answer: { en: answer.en, zh: answer.zh },
})

const KINDS: readonly CustomKind[] = [
  ...ROWS.map(fromRow),
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

/**
 * A custom plugin the dialogue can declare: one of the kinds above, or (with probability `invented`) a tool
 * invented for this dialogue (invented-tools.ts).
 */
export function pickCustom(rng: Rng, invented = 0): CustomPlugin {
  return invented > 0 && rng.chance(invented) ? inventTool(rng) : rng.pick(KINDS).plugin
}

/** A turn that calls `plugin` (one of this module's kinds, or an invented one). */
export function customTurn(rng: Rng, lang: Lang, split: Split, plugin: CustomPlugin): TurnSpec {
  if (isInvented(plugin)) return inventedTurn(rng, lang, split, plugin)
  const kind = KINDS.find((k) => k.plugin.command === plugin.command) ?? KINDS[0]!
  const v = kind.value(rng, lang)
  const result = kind.result(v, rng)
  return {
    kind: 'custom',
    lang,
    human: decorate(rng, lang, split, fill(pickFor(rng, kind.ask[lang], split), { v })),
    thought: fill(CUSTOM_THOUGHT[lang], { t: plugin.label }),
    calls: [{ command: plugin.command, input: v, synthetic: result }],
    answer: ([r = result]) => fill(kind.answer[lang], { r }),
    requires: [],
    custom: plugin,
  }
}
