/**
 * Factual questions for `Search`: the query is copied from the question, synthetic snippets contain the fact, and
 * the answer repeats the fact and cites its snippet (`<sup><|n|></sup>`). Facts are invented on purpose: the model
 * must learn to read the results, not to remember.
 */
import { decorate } from './decorate.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'
import { inventedName, wildHan } from './wild-names.js'

const EN_CITY = ['Tokyo', 'Paris', 'Berlin', 'Madrid', 'Lagos', 'Lima', 'Oslo', 'Cairo', 'Toronto', 'Sydney', 'Mumbai', 'Seoul',
  'Nairobi', 'Vienna', 'Prague', 'Dublin', 'Lisbon', 'Hanoi', 'Bogota', 'Denver', 'Austin', 'Kyoto', 'Munich', 'Zurich',
  'Helsinki', 'Warsaw', 'Athens', 'Istanbul', 'Dubai', 'Manila', 'Jakarta', 'Santiago', 'Quito', 'Accra', 'Perth', 'Osaka']
const ZH_CITY = ['北京', '上海', '广州', '深圳', '杭州', '成都', '重庆', '武汉', '西安', '南京', '天津', '苏州', '长沙', '郑州', '青岛',
  '厦门', '昆明', '大连', '沈阳', '济南', '合肥', '福州', '哈尔滨', '兰州', '贵阳', '南宁', '拉萨', '乌鲁木齐', '东京', '巴黎', '伦敦', '纽约']
const EN_SYL = ['ka', 'lo', 'vin', 'tar', 'mel', 'dor', 'sa', 'ri', 'nor', 'bel', 'qu', 'zen', 'fa', 'lix', 'mon', 'ter', 'ra', 'vo', 'ston', 'ber']
const EN_FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Grace', 'Hugo', 'Iris', 'Jack', 'Laura', 'Marco', 'Nina',
  'Oscar', 'Paula', 'Ravi', 'Sofia', 'Tom', 'Uma', 'Victor', 'Wendy', 'Yusuf', 'Zoe', 'Liam', 'Mei', 'Omar']
const EN_LAST = ['Smith', 'Garcia', 'Keller', 'Novak', 'Okafor', 'Tanaka', 'Silva', 'Berg', 'Rossi', 'Khan', 'Dubois', 'Larsen',
  'Moreau', 'Petrov', 'Nguyen', 'Walsh', 'Adler', 'Costa', 'Hale', 'Ibsen']
const ZH_SUR = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗']
const ZH_GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀', '霞', '平', '刚', '华', '鹏', '辉', '玲']
const ZH_CO = ['华', '星', '云', '海', '天', '创', '新', '达', '信', '恒', '瑞', '安', '通', '智', '联', '博', '泰', '盛']
const EN_CO_SUFFIX = ['Labs', 'Systems', 'Motors', 'Foods', 'Energy', 'Robotics', 'Bank', 'Games', 'Airlines', 'Media']
const ZH_CO_SUFFIX = ['科技', '集团', '电子', '汽车', '能源', '食品', '银行', '网络', '航空', '医药']
const EN_BOOK_A = ['Silent', 'Last', 'Hidden', 'Golden', 'Broken', 'Distant', 'Winter', 'Red', 'Lost', 'Iron']
const EN_BOOK_B = ['Harbor', 'River', 'Garden', 'Kingdom', 'Letters', 'Mountain', 'Station', 'Orchard', 'Map', 'Tide']
const ZH_BOOK = ['春', '夜', '海', '山', '风', '雪', '城', '梦', '河', '月', '花', '星', '路', '灯', '雨', '云']
const EN_PEAK = ['Mount', 'Peak']
const ZH_MOUNT_SUFFIX = ['山', '峰', '岭']

function enName(rng: Rng): string {
  return inventedName(rng, EN_SYL, rng.int(2, 3))
}
/** A city: a real name or (half the time) an invented one, so the model learns to copy rather than to remember. */
function enCity(rng: Rng): string {
  return rng.chance(0.5) ? rng.pick(EN_CITY) : enName(rng)
}
const ZH_CITY_END = ['州', '城', '阳', '安', '宁', '山', '江', '沙']
function zhCity(rng: Rng): string {
  if (rng.chance(0.5)) return rng.pick(ZH_CITY)
  return rng.chance(0.6) ? rng.pick(ZH_CO) + rng.pick(ZH_BOOK) + rng.pick(ZH_CITY_END) : wildHan(rng, 2, ZH_CO, 0.7) + rng.pick(ZH_CITY_END)
}
const EN_EVENT_WORDS = ['Nordic', 'Pacific', 'Alpine', 'Coastal', 'Desert', 'Central', 'Cup', 'Open', 'Marathon', 'Zeta', 'Nova', 'Orbit', 'Pixel', 'Astra', 'Echo']

/**
 * A random name-like word of the search tables (cities, people, companies, titles, events, products). In synthetic
 * data these words are interchangeable, so a tiny model learns near-identical embeddings for them and then cannot
 * copy one exactly; repeating them (see echo.ts) forces it to tell them apart.
 */
export function entityWord(rng: Rng, lang: Lang): string {
  if (lang === 'zh') {
    const pools = [ZH_CITY, ZH_SUR, ZH_GIVEN, ZH_CO, ZH_BOOK, ZH_CO_SUFFIX]
    if (rng.chance(0.25)) return wildHan(rng, rng.int(2, 4), ZH_BOOK, 0.6)
    return rng.chance(0.3) ? rng.pick(ZH_CO) + rng.pick(ZH_BOOK) : rng.pick(rng.pick(pools))
  }
  const pools = [EN_CITY, EN_FIRST, EN_LAST, EN_CO_SUFFIX, EN_BOOK_A, EN_BOOK_B, EN_EVENT_WORDS]
  return rng.chance(0.35) ? enName(rng) : rng.pick(rng.pick(pools))
}

function enPerson(rng: Rng): string {
  return `${rng.pick(EN_FIRST)} ${rng.pick(EN_LAST)}`
}
function zhPerson(rng: Rng): string {
  return rng.pick(ZH_SUR) + wildHan(rng, rng.chance(0.6) ? 2 : 1, ZH_GIVEN, 0.3)
}
function zhWord(rng: Rng, pool: readonly string[]): string {
  return rng.pick(pool) + rng.pick(pool)
}

interface Relation {
  /** Entity and fact generators. */
  entity: (rng: Rng) => string
  fact: (rng: Rng) => string
  ask: readonly string[]
  query: string
  snippet: readonly string[]
  answer: readonly string[]
  distractor: readonly string[]
}

const year = (rng: Rng): string => String(rng.int(1850, 2023))
const bigNumber = (rng: Rng): string => String(rng.int(20, 990) * 1000 + rng.int(0, 999))

const EN: readonly Relation[] = [
  {
    entity: enCity, fact: bigNumber,
    ask: ['What is the population of {e}?', 'How many people live in {e}?', "What's {e}'s population?", 'How big is the population of {e}?', 'Population of {e}?', 'Do you know how many people live in {e}?', 'Tell me the population of {e}.', 'How populous is {e}?', 'I wonder how many people {e} has.', 'Any idea of the population of {e}?', 'Look up how many people live in {e}.', 'How many inhabitants does {e} have?', 'I need the population of {e}.'],
    query: 'population of {e}',
    snippet: ['{e} has a population of {f} people according to the latest census.', 'The city of {e} is home to about {f} residents.', 'Latest figures put the population of {e} at {f}.'],
    answer: ['The population of {e} is about {f}<sup>{c}</sup>.', '{e} has about {f} residents<sup>{c}</sup>.', 'According to the search results, {f} people live in {e}<sup>{c}</sup>.'],
    distractor: ['{e} is known for its museums and old town.', 'Travel guide: the best time to visit {e} is spring.', 'The economy of {e} grew last year.'],
  },
  {
    entity: (r) => `${enName(r)} ${r.pick(EN_CO_SUFFIX)}`, fact: enPerson,
    ask: ['Who founded {e}?', 'Who is the founder of {e}?', 'Who started the company {e}?', 'Do you know who created {e}?', 'Tell me who founded {e}.', 'Which person founded {e}?', 'I want to know who founded {e}.', 'Find out who started {e}.', 'Who was behind the founding of {e}?', 'Can you look up the founder of {e}?', 'Who set up {e}?'],
    query: '{e} founder',
    snippet: ['{e} was founded by {f}, who still sits on its board.', '{f} started {e} in a small garage.', 'Founder of {e}: {f}.'],
    answer: ['{e} was founded by {f}<sup>{c}</sup>.', 'The founder of {e} is {f}<sup>{c}</sup>.', 'According to the results, {f} founded {e}<sup>{c}</sup>.'],
    distractor: ['{e} announced new products this quarter.', 'Shares of {e} rose slightly on Monday.', '{e} is hiring engineers.'],
  },
  {
    entity: (r) => `${enName(r)} ${r.pick(EN_CO_SUFFIX)}`, fact: year,
    ask: ['When was {e} founded?', 'What year was {e} established?', 'In which year did {e} start?', 'How old is {e}? When was it founded?', 'Founding year of {e}?', 'Look up when {e} was founded.', 'Since when has {e} existed?', 'I need the founding year of {e}.', 'Find out when {e} was set up.', 'When did {e} get started?'],
    query: '{e} founding year',
    snippet: ['{e} was founded in {f}.', 'Established in {f}, {e} has grown steadily.', 'Since its founding in {f}, {e} has expanded abroad.'],
    answer: ['{e} was founded in {f}<sup>{c}</sup>.', 'It was established in {f}<sup>{c}</sup>.', 'According to the search results, {e} started in {f}<sup>{c}</sup>.'],
    distractor: ['{e} opened a new office this year.', 'Reviews of {e} products are mixed.', '{e} sponsors a local football team.'],
  },
  {
    entity: (r) => `The ${r.pick(EN_BOOK_A)} ${r.pick(EN_BOOK_B)}`, fact: enPerson,
    ask: ['Who wrote {e}?', 'Who is the author of {e}?', 'Who wrote the book {e}?', 'Do you know the author of {e}?', '{e} - who wrote it?', 'Tell me who wrote {e}.', 'I want to know who wrote {e}.', 'Look up the author of {e}.', 'Whose book is {e}?', 'Find out who wrote {e}.', 'Which writer wrote {e}?'],
    query: '{e} author',
    snippet: ['{e} is a novel written by {f}.', 'Author {f} published {e} to wide acclaim.', '{f}, the author of {e}, gave a talk yesterday.'],
    answer: ['{e} was written by {f}<sup>{c}</sup>.', 'The author of {e} is {f}<sup>{c}</sup>.', 'According to the search results, {f} wrote {e}<sup>{c}</sup>.'],
    distractor: ['{e} was adapted into a film.', 'Readers rate {e} highly.', 'A new edition of {e} is out.'],
  },
  {
    entity: (r) => `${r.pick(EN_PEAK)} ${enName(r)}`, fact: (r) => String(r.int(800, 8800)),
    ask: ['How tall is {e}?', 'What is the height of {e}?', 'How high is {e}?', "What's the elevation of {e}?", 'Height of {e}?', 'Look up the height of {e}.', 'I need to know how high {e} is.', 'How many meters is {e}?', 'Find the elevation of {e}.', 'Do you know how tall {e} is?'],
    query: '{e} height',
    snippet: ['{e} rises to {f} meters above sea level.', 'At {f} m, {e} is the highest point of the region.', 'The summit of {e} is {f} meters high.'],
    answer: ['{e} is {f} meters tall<sup>{c}</sup>.', 'The height of {e} is {f} meters<sup>{c}</sup>.', 'According to the search results, {e} rises to {f} m<sup>{c}</sup>.'],
    distractor: ['Hiking trails on {e} are open in summer.', '{e} is popular with climbers.', 'Weather on {e} changes quickly.'],
  },
  {
    entity: (r) => `${enName(r)} ${r.pick(EN_CO_SUFFIX)}`, fact: enPerson,
    ask: ['Who is the CEO of {e}?', 'Who runs {e}?', 'Who leads {e} now?', 'Who is the chief executive of {e}?', 'Current CEO of {e}?', 'I want to know who runs {e}.', 'Look up the CEO of {e}.', 'Who is in charge of {e}?', 'Find out who leads {e}.', 'Do you know the CEO of {e}?'],
    query: '{e} CEO',
    snippet: ['{f} is the chief executive officer of {e}.', '{e} named {f} as its new CEO.', 'CEO {f} said {e} will keep growing.'],
    answer: ['The CEO of {e} is {f}<sup>{c}</sup>.', '{e} is led by {f}<sup>{c}</sup>.', 'According to the search results, {f} runs {e}<sup>{c}</sup>.'],
    distractor: ['{e} reported strong sales.', 'The headquarters of {e} moved last year.', '{e} won a design award.'],
  },
  {
    entity: enCity, fact: (r) => `${r.pick(['sunny', 'cloudy', 'rainy', 'windy', 'snowy', 'foggy'])}, ${r.int(-10, 38)} degrees`,
    ask: ["What's the weather in {e} today?", 'How is the weather in {e}?', 'Is it raining in {e}?', 'Weather in {e}?', 'What is the weather like in {e} right now?', 'Tell me the weather forecast for {e}.', 'Will I need an umbrella in {e} today?', 'Check the weather in {e}.', 'How warm is it in {e} today?', "Look up today's weather in {e}.", 'Is it cold in {e} today?'],
    query: '{e} weather today',
    snippet: ['Weather in {e} today: {f}.', 'Today {e} is {f}.', 'Forecast for {e}: {f} this afternoon.'],
    answer: ['Today in {e} it is {f}<sup>{c}</sup>.', 'The weather in {e} is {f}<sup>{c}</sup>.', 'According to the search results, {e} is {f} today<sup>{c}</sup>.'],
    distractor: ['{e} news: traffic is heavy downtown.', 'Events in {e} this weekend.', 'Hotels in {e} are busy.'],
  },
  {
    entity: (r) => `the ${r.chance(0.5) ? enName(r) : r.pick(['Nordic', 'Pacific', 'Alpine', 'Coastal', 'Desert', 'Central'])} ${r.pick(['Cup', 'Open', 'Marathon', 'Chess Championship', 'Song Contest'])} ${r.int(2001, 2023)}`, fact: enPerson,
    ask: ['Who won {e}?', 'Who was the winner of {e}?', 'Which player won {e}?', 'Do you know who won {e}?', 'Winner of {e}?', 'I want to know who won {e}.', 'Look up the winner of {e}.', 'Who took the title at {e}?', 'Find out who won {e}.', 'Who came first in {e}?'],
    query: '{e} winner',
    snippet: ['{f} won {e} after a close final.', 'The winner of {e} was {f}.', '{e}: {f} takes the title.'],
    answer: ['{e} was won by {f}<sup>{c}</sup>.', 'The winner of {e} was {f}<sup>{c}</sup>.', 'According to the search results, {f} won {e}<sup>{c}</sup>.'],
    distractor: ['Tickets for {e} sold out.', '{e} drew record crowds.', 'Highlights of {e} are online.'],
  },
  {
    entity: (r) => `the ${enName(r)} River`, fact: (r) => String(r.int(50, 6500)),
    ask: ['How long is {e}?', 'What is the length of {e}?', "What's the total length of {e}?", 'Length of {e}?', 'Look up the length of {e}.', 'How many kilometers long is {e}?', 'I need the length of {e}.', 'Find out how long {e} is.', 'Do you know how long {e} is?'],
    query: '{e} length',
    snippet: ['{e} is {f} kilometers long.', 'Flowing for {f} km, {e} crosses three provinces.', 'The length of {e} is {f} km.'],
    answer: ['{e} is {f} km long<sup>{c}</sup>.', 'The length of {e} is {f} kilometers<sup>{c}</sup>.', 'According to the search results, {e} runs for {f} km<sup>{c}</sup>.'],
    distractor: ['Fishing on {e} is popular.', 'Floods hit towns along {e}.', 'A new bridge crosses {e}.'],
  },
  {
    entity: (r) => `the ${r.chance(0.5) ? enName(r) : r.pick(['Zeta', 'Nova', 'Orbit', 'Pixel', 'Astra', 'Echo'])} ${r.int(3, 15)} ${r.pick(['phone', 'laptop', 'camera', 'watch', 'tablet'])}`, fact: (r) => `${r.int(99, 2999)} dollars`,
    ask: ['How much does {e} cost?', 'What is the price of {e}?', "What's {e} selling for?", 'Price of {e}?', 'How expensive is {e}?', 'Look up the price of {e}.', 'I want to buy {e}. How much is it?', 'What does {e} cost?', 'Find the price of {e}.', 'Do you know what {e} costs?'],
    query: '{e} price',
    snippet: ['{e} sells for {f}.', 'The price of {e} starts at {f}.', 'Buy {e} now for {f}.'],
    answer: ['{e} costs {f}<sup>{c}</sup>.', 'The price of {e} is {f}<sup>{c}</sup>.', 'According to the search results, {e} sells for {f}<sup>{c}</sup>.'],
    distractor: ['Review: {e} has a great screen.', '{e} comes in three colors.', 'Accessories for {e}.'],
  },
]

const ZH: readonly Relation[] = [
  {
    entity: zhCity, fact: (r) => `${r.int(50, 3000)}万`,
    ask: ['{e}有多少人口？', '{e}的人口是多少？', '{e}人口多少', '请问{e}住着多少人？', '告诉我{e}的人口', '{e}现在有多少常住人口？', '我想知道{e}的人口', '查一下{e}有多少人', '{e}一共住了多少人？', '帮我查查{e}的人口数量', '{e}的常住人口是多少？'],
    query: '{e}人口',
    snippet: ['{e}常住人口约为{f}人。', '最新统计显示，{e}人口达到{f}。', '据统计，{e}共有人口{f}。'],
    answer: ['{e}的人口约为{f}<sup>{c}</sup>。', '根据搜索结果，{e}有{f}人口<sup>{c}</sup>。', '{e}常住人口大约{f}<sup>{c}</sup>。'],
    distractor: ['{e}是一座历史悠久的城市。', '{e}旅游攻略：春季最适合出行。', '{e}的经济去年稳步增长。'],
  },
  {
    entity: (r) => zhWord(r, ZH_CO) + r.pick(ZH_CO_SUFFIX), fact: zhPerson,
    ask: ['{e}的创始人是谁？', '谁创办了{e}？', '{e}是谁创立的？', '请问{e}的创办人是谁', '你知道{e}是谁创建的吗？', '查一下{e}的创始人', '{e}是谁创办的？', '我想知道谁创立了{e}', '帮我查查{e}的创办者', '{e}的创办人叫什么？'],
    query: '{e}创始人',
    snippet: ['{e}由{f}创立。', '{f}是{e}的创始人。', '{e}创始人{f}接受了采访。'],
    answer: ['{e}的创始人是{f}<sup>{c}</sup>。', '根据搜索结果，{e}由{f}创立<sup>{c}</sup>。', '{f}创办了{e}<sup>{c}</sup>。'],
    distractor: ['{e}发布了新产品。', '{e}股价周一小幅上涨。', '{e}正在招聘工程师。'],
  },
  {
    entity: (r) => zhWord(r, ZH_CO) + r.pick(ZH_CO_SUFFIX), fact: year,
    ask: ['{e}是哪一年成立的？', '{e}成立于哪年？', '{e}的成立时间是什么时候？', '请问{e}哪年创办的', '{e}什么时候成立的？', '查一下{e}的成立时间', '{e}是什么时候创办的？', '我想知道{e}成立多久了', '帮我查查{e}哪年成立', '{e}创建于哪一年？'],
    query: '{e}成立时间',
    snippet: ['{e}成立于{f}年。', '{e}创建于{f}年，发展迅速。', '自{f}年成立以来，{e}不断扩张。'],
    answer: ['{e}成立于{f}年<sup>{c}</sup>。', '根据搜索结果，{e}创建于{f}年<sup>{c}</sup>。', '{e}是{f}年成立的<sup>{c}</sup>。'],
    distractor: ['{e}今年开设了新办公室。', '{e}的产品评价不一。', '{e}赞助了本地球队。'],
  },
  {
    entity: (r) => `《${zhWord(r, ZH_BOOK)}${r.pick(['之歌', '往事', '记', '的故事', '集'])}》`, fact: zhPerson,
    ask: ['{e}的作者是谁？', '{e}是谁写的？', '谁写了{e}？', '请问{e}的作者', '你知道{e}是谁写的吗？', '查一下{e}的作者', '{e}出自谁的手笔？', '我想知道{e}的作者是谁', '帮我查查谁写的{e}', '{e}的作家是谁？'],
    query: '{e}作者',
    snippet: ['{e}是作家{f}的代表作。', '{f}创作了{e}。', '{e}作者：{f}。'],
    answer: ['{e}的作者是{f}<sup>{c}</sup>。', '根据搜索结果，{e}是{f}写的<sup>{c}</sup>。', '{f}写了{e}<sup>{c}</sup>。'],
    distractor: ['{e}被改编成了电影。', '读者对{e}评价很高。', '{e}推出了新版本。'],
  },
  {
    entity: (r) => zhWord(r, ZH_BOOK) + r.pick(ZH_MOUNT_SUFFIX), fact: (r) => String(r.int(800, 8800)),
    ask: ['{e}有多高？', '{e}的海拔是多少？', '{e}高多少米？', '请问{e}的高度', '{e}海拔多少米？', '查一下{e}的海拔', '{e}到底有多高？', '我想知道{e}的高度', '帮我查查{e}有多少米高', '{e}的高度是多少米？'],
    query: '{e}海拔',
    snippet: ['{e}海拔{f}米。', '{e}主峰高{f}米。', '{e}的高度为{f}米。'],
    answer: ['{e}海拔{f}米<sup>{c}</sup>。', '根据搜索结果，{e}高{f}米<sup>{c}</sup>。', '{e}的高度是{f}米<sup>{c}</sup>。'],
    distractor: ['{e}夏季开放登山步道。', '{e}深受登山者喜爱。', '{e}天气多变。'],
  },
  {
    entity: (r) => zhWord(r, ZH_CO) + r.pick(ZH_CO_SUFFIX), fact: zhPerson,
    ask: ['{e}的CEO是谁？', '{e}现在由谁领导？', '谁是{e}的首席执行官？', '{e}的老板是谁', '请问{e}的总裁是谁？', '查一下{e}的CEO', '{e}的掌门人是谁？', '我想知道谁在管理{e}', '帮我查查{e}的首席执行官', '{e}的负责人是谁？'],
    query: '{e}CEO',
    snippet: ['{f}担任{e}首席执行官。', '{e}任命{f}为新任CEO。', '{e}CEO{f}表示公司将继续增长。'],
    answer: ['{e}的CEO是{f}<sup>{c}</sup>。', '根据搜索结果，{e}由{f}领导<sup>{c}</sup>。', '{f}是{e}的首席执行官<sup>{c}</sup>。'],
    distractor: ['{e}销售业绩强劲。', '{e}去年搬迁了总部。', '{e}获得设计奖。'],
  },
  {
    entity: zhCity, fact: (r) => `${r.pick(['晴', '多云', '小雨', '大风', '小雪', '阴'])}，${r.int(-10, 38)}度`,
    ask: ['{e}今天天气怎么样？', '{e}今天的天气如何？', '{e}今天下雨吗？', '{e}天气', '请问{e}现在的天气', '查一下{e}今天的天气', '{e}今天冷不冷？', '帮我看看{e}今天的天气', '我想知道{e}今天天气如何', '{e}今天要带伞吗？', '查查{e}今天的天气预报'],
    query: '{e}今天天气',
    snippet: ['{e}今日天气：{f}。', '今天{e}{f}。', '{e}天气预报：今天下午{f}。'],
    answer: ['{e}今天{f}<sup>{c}</sup>。', '根据搜索结果，{e}今天的天气是{f}<sup>{c}</sup>。', '今天{e}的天气：{f}<sup>{c}</sup>。'],
    distractor: ['{e}新闻：市中心交通拥堵。', '{e}本周末活动汇总。', '{e}酒店预订火爆。'],
  },
  {
    entity: (r) => `${r.int(2001, 2023)}年${zhWord(r, ZH_CO)}${r.pick(['杯', '马拉松', '象棋赛', '歌手大赛'])}`, fact: zhPerson,
    ask: ['{e}的冠军是谁？', '谁赢得了{e}？', '{e}谁得了第一？', '请问{e}冠军是谁', '{e}最后谁赢了？', '查一下{e}的冠军', '{e}谁拿了冠军？', '我想知道{e}的冠军是谁', '帮我查查{e}谁赢了', '{e}的第一名是谁？'],
    query: '{e}冠军',
    snippet: ['{f}获得{e}冠军。', '{e}冠军：{f}。', '{f}在{e}决赛中胜出。'],
    answer: ['{e}的冠军是{f}<sup>{c}</sup>。', '根据搜索结果，{f}赢得了{e}<sup>{c}</sup>。', '{f}获得了{e}冠军<sup>{c}</sup>。'],
    distractor: ['{e}门票已售罄。', '{e}观众人数创纪录。', '{e}精彩回放已上线。'],
  },
  {
    entity: (r) => zhWord(r, ZH_BOOK) + '河', fact: (r) => String(r.int(50, 6500)),
    ask: ['{e}有多长？', '{e}全长多少公里？', '{e}的长度是多少？', '请问{e}长多少', '查一下{e}的长度', '{e}一共多长？', '我想知道{e}有多少公里', '帮我查查{e}全长', '{e}的总长度是多少？'],
    query: '{e}长度',
    snippet: ['{e}全长{f}公里。', '{e}长约{f}公里，流经三个省。', '{e}的长度为{f}公里。'],
    answer: ['{e}全长{f}公里<sup>{c}</sup>。', '根据搜索结果，{e}长{f}公里<sup>{c}</sup>。', '{e}的长度是{f}公里<sup>{c}</sup>。'],
    distractor: ['{e}沿岸渔业发达。', '{e}流域遭遇洪水。', '{e}上新建了一座大桥。'],
  },
  {
    entity: (r) => `${zhWord(r, ZH_CO)}${r.int(3, 15)}${r.pick(['手机', '笔记本', '相机', '手表', '平板'])}`, fact: (r) => `${r.int(599, 19999)}元`,
    ask: ['{e}多少钱？', '{e}的价格是多少？', '{e}卖多少钱', '请问{e}售价多少？', '{e}贵吗？多少钱？', '查一下{e}的价格', '{e}要多少钱？', '我想知道{e}卖多少', '帮我查查{e}的售价', '{e}现在什么价？'],
    query: '{e}价格',
    snippet: ['{e}售价{f}。', '{e}起售价为{f}。', '{e}现在只要{f}。'],
    answer: ['{e}的价格是{f}<sup>{c}</sup>。', '根据搜索结果，{e}售价{f}<sup>{c}</sup>。', '{e}卖{f}<sup>{c}</sup>。'],
    distractor: ['{e}评测：屏幕出色。', '{e}有三种颜色。', '{e}配件推荐。'],
  },
]

const THINK: Record<Lang, readonly string[]> = {
  en: ['I need up-to-date information, so I should search for {q}.', 'I should search the web for {q}.',
    'This is a factual question; a web search for {q} will help.', 'I do not know this for sure, so I will search.',
    'Let me search for {q} to answer accurately.'],
  zh: ['需要搜索一下{q}。', '这是一个事实性问题，我应该搜索{q}。', '为了准确回答，我需要搜索相关信息。', '我不确定答案，需要上网搜索{q}。',
    '我来搜索一下{q}。'],
}

/** A search turn with one query and up to three snippets, one of which holds the fact. */
export function searchTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const rel = rng.pick(lang === 'en' ? EN : ZH)
  const e = rel.entity(rng)
  const f = rel.fact(rng)
  const q = fill(rel.query, { e })
  const hits = rng.int(1, 3)
  const at = rng.int(0, hits - 1)
  const snippets: string[] = []
  for (let i = 0; i < hits; i++) snippets.push(fill(i === at ? rng.pick(rel.snippet) : rng.pick(rel.distractor), { e, f }))
  const ask = pickFor(rng, rel.ask, split)
  const answer = pickFor(rng, rel.answer, split)
  // English questions begin with the entity sometimes; keep sentence case.
  const human = fill(ask, { e: e.startsWith('the ') && ask.startsWith('{e}') ? e[0]!.toUpperCase() + e.slice(1) : e })
  return {
    kind: 'search',
    lang,
    human: decorate(rng, lang, split, human),
    thought: fill(pickFor(rng, THINK[lang], split), { q }),
    calls: [{ command: 'Search', input: q, synthetic: JSON.stringify(snippets), fact: f }],
    answer: () => {
      const text = fill(answer, { e, f, c: `<|${at + 1}|>` })
      return lang === 'en' ? text[0]!.toUpperCase() + text.slice(1) : text
    },
    requires: ['Search'],
  }
}
