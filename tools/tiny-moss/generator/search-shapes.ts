/**
 * Search questions in the shapes people ask them (who/what/when/where/how, "look up …", "latest news about …",
 * lower case, titles in `《》`), each turned into a short noun-phrase query that keeps the question's key words:
 * `What's the capital of Peru?` → `Search("capital of Peru")`, `挪威的首都是哪里？` → `Search("挪威首都")`. Entities are
 * half invented so the query is copied, not remembered; facts are invented so the answer is read from the snippet.
 */
import { decorate } from './decorate.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'
import { inventedName, wildHan } from './wild-names.js'

const SYL = ['ka', 'lo', 'vin', 'tar', 'mel', 'dor', 'sa', 'ri', 'nor', 'bel', 'qu', 'zen', 'fa', 'lix', 'mon', 'ter', 'ra', 'vo', 'ston', 'ber', 'gal', 'pe', 'tu', 'mi']
const ZH_SYL = ['华', '星', '云', '海', '天', '创', '新', '达', '信', '恒', '瑞', '安', '通', '智', '联', '博', '泰', '盛', '明', '光', '宇', '嘉', '蓝', '金']

/** An invented name: the tables' syllables, or (40%) any letters, so copying is practised on unfamiliar pieces too. */
function invented(rng: Rng, n = rng.int(2, 3)): string {
  return inventedName(rng, SYL, n)
}
/** An invented Chinese name: each character one of the tables' or (35%) any ideograph (byte tokens to copy). */
function zhInvented(rng: Rng, n = 2): string {
  return wildHan(rng, n, ZH_SYL, 0.35)
}
const either = (real: readonly string[], make: (rng: Rng) => string) => (rng: Rng): string => (rng.chance(0.5) ? rng.pick(real) : make(rng))

const EN_COUNTRY = either(['Peru', 'Norway', 'Chile', 'Ghana', 'Nepal', 'Portugal', 'Egypt', 'Poland', 'Austria', 'Mexico', 'Thailand', 'Finland', 'Morocco', 'Iceland', 'Uruguay', 'Laos'], (r) => `${invented(r)}ia`)
const EN_CITY = either(['Lisbon', 'Oslo', 'Lima', 'Seoul', 'Cairo', 'Dublin', 'Prague', 'Madrid', 'Denver', 'Osaka', 'Hanoi', 'Quito', 'Perth', 'Munich'], (r) => invented(r))
const EN_COMPANY = either(['Nokia', 'Siemens', 'Toyota', 'Netflix', 'Adobe', 'Intel', 'Spotify', 'Nintendo'], (r) => `${invented(r)} ${r.pick(['Labs', 'Systems', 'Motors', 'Group', 'Tech'])}`)
const EN_FILM = either(['Interstellar', 'Parasite', 'Casablanca', 'Jaws', 'Amelie'], (r) => `The ${r.pick(['Silent', 'Last', 'Hidden', 'Golden', 'Broken'])} ${r.pick(['Harbor', 'River', 'Garden', 'Kingdom', 'Station'])}`)
const EN_DRUG = either(['aspirin', 'paracetamol', 'amoxicillin', 'metformin', 'melatonin'], (r) => `${invented(r).toLowerCase()}ol`)
const EN_CHEMICAL = either(['methanol', 'acetone', 'glycerol', 'benzene', 'ammonia'], (r) => `${invented(r).toLowerCase()}ane`)
const EN_LANDMARK = either(['Big Ben', 'the Colosseum', 'the Golden Gate Bridge', 'the Taj Mahal', 'Angkor Wat', 'the Sydney Opera House'], (r) => `the ${invented(r)} ${r.pick(['Tower', 'Bridge', 'Palace', 'Temple', 'Museum'])}`)
const EN_PRODUCT = either(['Galaxy S25', 'Pixel 9', 'PlayStation 6', 'Kindle Scribe', 'Surface Pro'], (r) => `${invented(r)} ${r.pick(['X', 'Pro', 'Max', 'S'])}${r.int(2, 12)}`)
const EN_INVENTION = either(['light bulb', 'radio', 'printing press', 'bicycle', 'microwave oven', 'television'], (r) => `${invented(r).toLowerCase()} engine`)
const EN_TOPIC = either(['renewable energy', 'electric cars', 'the James Webb telescope', 'bird flu', 'quantum computing', 'ocean plastic'], (r) => `the ${invented(r)} project`)
const EN_EVENT = either(['Champions League', 'Tour de France', 'Super Bowl', 'Wimbledon', 'Eurovision'], (r) => `${invented(r)} Cup`)
const EN_FOOD = ['ramen', 'tacos', 'sushi', 'burgers', 'coffee', 'dumplings', 'vegan food', 'bakeries']

interface Shape {
  readonly entity: (rng: Rng) => string
  /** A second entity (`{b}`), for routes and distances. */
  readonly second?: (rng: Rng) => string
  /** Question shapes; a pair carries its own query (when the shapes of one row ask different things). */
  readonly ask: readonly (string | readonly [string, string])[]
  readonly query: readonly string[]
  readonly fact: (rng: Rng) => string
  readonly snippet: string
  readonly answer: string
}

const person = (rng: Rng): string => `${rng.pick(['Anna', 'Marco', 'Leila', 'Tomas', 'Priya', 'Kenji', 'Sara', 'Noah'])} ${invented(rng)}`
const num = (lo: number, hi: number) => (rng: Rng): string => String(rng.int(lo, hi))

const EN: readonly Shape[] = [
  { entity: EN_COUNTRY, ask: ['What is the capital of {e}?', "What's the capital of {e}?", 'capital of {e}?', 'Which city is the capital of {e}?', 'whats the capital city of {e}', 'Tell me the capital of {e}.'], query: ['capital of {e}', '{e} capital'], fact: invented, snippet: 'The capital of {e} is {f}.', answer: 'The capital of {e} is {f}' },
  { entity: EN_COUNTRY, ask: ['Who is the president of {e}?', 'who is the current president of {e}', 'Who leads {e} now?', 'Who is the head of state of {e}?', 'president of {e}?'], query: ['president of {e}', '{e} president'], fact: person, snippet: '{f} is the president of {e}.', answer: 'The president of {e} is {f}' },
  { entity: EN_COUNTRY, ask: ['What language do they speak in {e}?', 'What language is spoken in {e}?', 'which language do people speak in {e}', 'What is the official language of {e}?', 'language of {e}?'], query: ['language spoken in {e}', '{e} official language'], fact: (r) => `${invented(r)}ese`, snippet: 'The official language of {e} is {f}.', answer: 'People in {e} speak {f}' },
  { entity: EN_CITY, ask: ["What's the weather in {e} today?", 'weather in {e}?', 'Is it raining in {e} right now?', "how's the weather in {e} tomorrow", 'Will it be sunny in {e} this weekend?', 'Whats the wether like in {e}?'], query: ['{e} weather today', '{e} weather', 'weather in {e}'], fact: (r) => `${r.pick(['sunny', 'rainy', 'cloudy', 'windy'])}, ${r.int(-5, 35)}°C`, snippet: 'Weather in {e}: {f}.', answer: 'The weather in {e} is {f}' },
  { entity: EN_CITY, ask: ['What time is it in {e} right now?', 'current time in {e}?', 'what time is it in {e}', 'Do you know the time in {e}?', 'time in {e} now?'], query: ['current time in {e}', 'time in {e}'], fact: (r) => `${r.int(0, 23)}:${String(r.int(0, 59)).padStart(2, '0')}`, snippet: 'Local time in {e}: {f}.', answer: 'It is {f} in {e}' },
  { entity: EN_CITY, ask: ['How many people live in {e}?', 'whats the population of {e}', 'What is the population of {e}?', 'population of {e}?', 'how big is {e}'], query: ['population of {e}', '{e} population'], fact: num(50_000, 9_000_000), snippet: '{e} has {f} inhabitants.', answer: '{e} has about {f} inhabitants' },
  { entity: EN_COMPANY, ask: ['Who is the CEO of {e}?', 'who runs {e}', 'Who is in charge of {e}?', 'ceo of {e}?', "Who's the boss of {e}?"], query: ['CEO of {e}', '{e} CEO'], fact: person, snippet: '{f} is the chief executive of {e}.', answer: 'The CEO of {e} is {f}' },
  { entity: EN_COMPANY, ask: ['What is the stock price of {e}?', "how is {e}'s stock doing", '{e} share price today?', 'What are {e} shares trading at?', 'stock price of {e}'], query: ['{e} stock price', 'stock price of {e}'], fact: (r) => `$${r.int(5, 900)}.${String(r.int(0, 99)).padStart(2, '0')}`, snippet: '{e} shares closed at {f}.', answer: '{e} stock is at {f}' },
  { entity: EN_COMPANY, ask: ['Where is {e} headquartered?', 'Where is the headquarters of {e}?', 'where is {e} based', 'Which city is {e} based in?'], query: ['{e} headquarters', 'headquarters of {e}'], fact: invented, snippet: '{e} is headquartered in {f}.', answer: '{e} is based in {f}' },
  { entity: EN_FILM, ask: ['Who directed {e}?', 'who directed the movie {e}', 'Who is the director of {e}?', 'Who made the film {e}?', 'director of {e}?'], query: ['{e} director', 'director of {e}'], fact: person, snippet: '{e} was directed by {f}.', answer: '{e} was directed by {f}' },
  { entity: EN_DRUG, ask: ['What are the side effects of {e}?', 'side effects of {e}?', 'Does {e} have side effects?', 'what side effects does {e} have', 'Is {e} safe? What are its side effects?'], query: ['{e} side effects', 'side effects of {e}'], fact: (r) => r.pick(['headache and nausea', 'dizziness', 'stomach upset', 'drowsiness']), snippet: 'Common side effects of {e} include {f}.', answer: 'Common side effects of {e} include {f}' },
  { entity: EN_CHEMICAL, ask: ["What's the boiling point of {e}?", 'At what temperature does {e} boil?', 'boiling point of {e}?', 'What is the boiling temperature of {e}?', 'how hot does {e} need to be to boil'], query: ['{e} boiling point', 'boiling point of {e}'], fact: (r) => `${r.int(-80, 300)}°C`, snippet: '{e} boils at {f}.', answer: '{e} boils at {f}' },
  { entity: EN_LANDMARK, ask: ['When was {e} built?', 'How old is {e}?', 'what year was {e} built', 'When was {e} completed?', 'Who built {e}?'], query: ['{e} history', 'when was {e} built'], fact: num(1100, 2015), snippet: '{e} was completed in {f}.', answer: '{e} was built in {f}' },
  { entity: EN_LANDMARK, ask: ['Where is {e}?', 'where is {e} located', 'In which country is {e}?', 'How do I find {e}?', 'Where can I see {e}?'], query: ['{e} location', 'where is {e}'], fact: EN_CITY, snippet: '{e} is located in {f}.', answer: '{e} is in {f}' },
  { entity: EN_LANDMARK, ask: ['What are the opening hours of {e}?', 'When does {e} open?', 'Can you look up the opening hours of {e}?', 'Is {e} open on Sundays?', 'opening times of {e}?'], query: ['{e} opening hours', 'opening hours of {e}'], fact: (r) => `${r.int(7, 10)}:00 to ${r.int(16, 21)}:00`, snippet: '{e} is open from {f}.', answer: '{e} is open from {f}' },
  { entity: EN_PRODUCT, ask: ['When is the {e} coming out?', 'release date of the {e}?', 'When does the {e} launch?', 'Tell me the release date of the {e}', 'is the {e} out yet'], query: ['{e} release date', 'release date of {e}'], fact: (r) => `${r.pick(['March', 'June', 'September', 'November'])} ${r.int(2024, 2027)}`, snippet: 'The {e} will be released in {f}.', answer: 'The {e} comes out in {f}' },
  { entity: EN_PRODUCT, ask: ['Look up reviews of the {e}', 'Is the {e} any good?', 'What do reviews say about the {e}?', 'find reviews for the {e}', 'How good is the {e}?'], query: ['{e} reviews', '{e} review'], fact: (r) => `${r.int(5, 9)}/10`, snippet: 'Reviewers rate the {e} {f}.', answer: 'Reviewers give the {e} {f}' },
  { entity: EN_INVENTION, ask: ['Who invented the {e}?', 'who invented the {e}', 'Who came up with the {e}?', 'Who made the first {e}?', 'When was the {e} invented?'], query: ['inventor of the {e}', '{e} inventor'], fact: person, snippet: 'The {e} was invented by {f}.', answer: 'The {e} was invented by {f}' },
  { entity: EN_TOPIC, ask: ['latest news about {e}', 'Find me recent articles on {e}', 'Any news on {e}?', "What's new with {e}?", 'search for news about {e}', 'What happened with {e} this week?'], query: ['{e} latest news', '{e} news'], fact: (r) => r.pick(['a new report was published', 'funding was increased', 'a trial began', 'results were delayed']), snippet: 'News on {e}: {f}.', answer: 'The latest on {e}: {f}' },
  { entity: EN_EVENT, second: num(1990, 2024), ask: ['Who won the {b} {e}?', 'who won {e} {b}', 'Winner of the {b} {e}?', 'Which team won the {b} {e}?', 'Who took the {b} {e} title?'], query: ['{b} {e} winner', '{e} {b} winner'], fact: invented, snippet: '{f} won the {b} {e}.', answer: '{f} won the {b} {e}' },
  { entity: EN_CITY, second: EN_CITY, ask: ['Is there a train from {e} to {b} tonight?', 'How far is {e} from {b}?', 'how long does it take to fly from {e} to {b}', 'Are there flights from {e} to {b} tomorrow?', 'distance between {e} and {b}?'], query: ['{e} to {b}', 'from {e} to {b}'], fact: (r) => `${r.int(40, 900)} km`, snippet: '{e} to {b}: {f}.', answer: 'From {e} to {b}: {f}' },
  { entity: EN_COUNTRY, ask: [["What's the highest mountain in {e}?", 'highest mountain in {e}'], ['What is the tallest building in {e}?', 'tallest building in {e}'], ['longest river in {e}?', 'longest river in {e}'], ['What is the biggest lake in {e}?', 'biggest lake in {e}'], ['Which is the largest city in {e}?', 'largest city in {e}']], query: [], fact: invented, snippet: 'In {e}, the record holder is {f}.', answer: 'In {e}, it is {f}' },
  { entity: EN_CITY, second: (r) => r.pick(EN_FOOD), ask: ['search for the best {b} in {e}', 'Where can I get good {b} in {e}?', 'best {b} places in {e}?', 'Recommend some {b} in {e}', 'find {b} near {e} city center'], query: ['best {b} in {e}', '{b} in {e}'], fact: (r) => `${invented(r)} Kitchen`, snippet: 'Top pick for {b} in {e}: {f}.', answer: 'A top pick for {b} in {e} is {f}' },
]

const ZH_COUNTRY = either(['秘鲁', '挪威', '智利', '加纳', '尼泊尔', '葡萄牙', '埃及', '波兰', '奥地利', '墨西哥', '泰国', '芬兰', '摩洛哥', '冰岛'], (r) => `${zhInvented(r)}国`)
const ZH_CITY = either(['西安', '南京', '重庆', '武汉', '厦门', '青岛', '昆明', '苏州', '长沙', '大连', '里斯本', '首尔', '开罗', '奥斯陆'], (r) => `${zhInvented(r)}${r.pick(['市', '城', '州'])}`)
const ZH_COMPANY = either(['腾讯', '小米', '比亚迪', '阿里巴巴', '京东', '联想', '美团', '字节跳动'], (r) => `${zhInvented(r)}${r.pick(['科技', '集团', '电子', '汽车'])}`)
const ZH_TITLE = either(['《红楼梦》', '《活着》', '《三体》', '《流浪地球》', '《霸王别姬》'], (r) => `《${zhInvented(r, r.int(2, 3))}》`)
const ZH_DRUG = either(['阿司匹林', '对乙酰氨基酚', '阿莫西林', '二甲双胍', '褪黑素'], (r) => `${zhInvented(r)}素`)
const ZH_PLACE = either(['黄山', '兵马俑', '布达拉宫', '天坛', '张家界', '鼓浪屿'], (r) => `${zhInvented(r)}${r.pick(['寺', '塔', '桥', '宫'])}`)
const ZH_TOPIC = either(['新能源汽车', '人工智能', '嫦娥六号', '流感', '量子计算'], (r) => `${zhInvented(r)}计划`)
const ZH_PRODUCT = either(['小米15', '华为P70', 'iPad Air', 'Switch 2', 'Mate X6'], (r) => `${zhInvented(r)}${r.int(2, 12)}`)
const ZH_FOOD = ['火锅', '烤鸭', '小笼包', '咖啡', '烧烤', '面馆']
const zhPerson = (rng: Rng): string => rng.pick(['王', '李', '张', '刘', '陈', '杨']) + rng.pick(['伟', '芳', '敏', '强', '磊', '静', '涛'])

const ZH: readonly Shape[] = [
  { entity: ZH_COUNTRY, ask: ['{e}的首都是哪里？', '{e}首都是哪个城市', '{e}的首都叫什么', '请问{e}的首都在哪？', '{e}首都？'], query: ['{e}首都', '{e}的首都'], fact: (r) => `${zhInvented(r)}城`, snippet: '{e}的首都是{f}。', answer: '{e}的首都是{f}' },
  { entity: ZH_COUNTRY, ask: ['{e}总统是谁？', '{e}现在的总统是谁', '谁是{e}的领导人？', '{e}的总统叫什么名字', '{e}总统'], query: ['{e}总统', '{e}领导人'], fact: zhPerson, snippet: '{e}现任总统是{f}。', answer: '{e}的总统是{f}' },
  { entity: ZH_COUNTRY, ask: ['{e}人说什么语言？', '{e}的官方语言是什么', '在{e}说什么话？', '{e}用什么语言', '{e}讲哪种语言'], query: ['{e}官方语言', '{e}语言'], fact: (r) => `${zhInvented(r)}语`, snippet: '{e}的官方语言是{f}。', answer: '{e}的官方语言是{f}' },
  { entity: ZH_CITY, ask: ['今天{e}天气怎么样', '{e}明天会下雨吗？', '{e}天气如何？', '查一下{e}的天气', '{e}明天天汽怎么样', '{e}这周末天气好吗'], query: ['{e}天气', '{e}今天天气'], fact: (r) => `${r.pick(['晴', '多云', '小雨', '阴'])}，${r.int(-5, 35)}度`, snippet: '{e}天气：{f}。', answer: '{e}的天气是{f}' },
  { entity: ZH_CITY, ask: ['{e}现在几点了？', '{e}当地时间是多少', '{e}现在是几点', '请问{e}的时间', '{e}几点了'], query: ['{e}当前时间', '{e}时间'], fact: (r) => `${r.int(0, 23)}点${r.int(0, 59)}分`, snippet: '{e}当地时间{f}。', answer: '{e}现在是{f}' },
  { entity: ZH_CITY, ask: ['{e}有多少人', '{e}的人口是多少？', '{e}住着多少人', '{e}人口有多少？', '{e}一共有多少人口'], query: ['{e}人口'], fact: (r) => `${r.int(50, 3000)}万`, snippet: '{e}人口约{f}。', answer: '{e}的人口约为{f}' },
  { entity: ZH_COMPANY, ask: ['{e}的CEO是谁', '{e}的老板是谁？', '谁是{e}的总裁？', '{e}现在谁在管', '{e}的董事长是谁'], query: ['{e}CEO', '{e}董事长'], fact: zhPerson, snippet: '{e}的负责人是{f}。', answer: '{e}的负责人是{f}' },
  { entity: ZH_COMPANY, ask: ['{e}的股价是多少', '{e}今天股票涨了吗？', '{e}股价多少？', '查一下{e}的股价', '{e}的股票现在多少钱'], query: ['{e}股价'], fact: (r) => `${r.int(5, 900)}.${r.int(10, 99)}元`, snippet: '{e}股价收于{f}。', answer: '{e}的股价是{f}' },
  { entity: ZH_TITLE, ask: [['{e}的作者是谁？', '{e}作者'], ['{e}是谁写的', '{e}作者'], ['电影{e}的导演是谁', '{e}导演'], ['{e}这部书的作者是谁', '{e}作者'], ['谁拍了{e}？', '{e}导演']], query: [], fact: zhPerson, snippet: '{e}出自{f}之手。', answer: '{e}的作者是{f}' },
  { entity: ZH_DRUG, ask: ['{e}有什么副作用？', '吃{e}有副作用吗', '{e}的副作用是什么', '{e}副作用大吗？', '{e}有哪些不良反应'], query: ['{e}副作用'], fact: (r) => r.pick(['头痛和恶心', '头晕', '胃部不适', '嗜睡']), snippet: '{e}常见副作用包括{f}。', answer: '{e}的常见副作用有{f}' },
  { entity: ZH_PLACE, ask: ['{e}在哪里', '{e}在哪个城市？', '{e}位于哪里', '怎么去{e}？', '{e}是在哪个省'], query: ['{e}位置', '{e}在哪里'], fact: ZH_CITY, snippet: '{e}位于{f}。', answer: '{e}位于{f}' },
  { entity: ZH_PLACE, ask: [['{e}是什么时候建成的？', '{e}历史'], ['{e}有多少年历史', '{e}历史'], ['{e}的开放时间是什么', '{e}开放时间'], ['{e}几点开门？', '{e}开放时间'], ['{e}是哪一年建的', '{e}历史']], query: [], fact: num(600, 2015), snippet: '{e}始建于{f}年。', answer: '{e}建于{f}年' },
  { entity: ZH_PRODUCT, ask: [['{e}什么时候发布', '{e}发布时间'], ['{e}哪天上市？', '{e}发布时间'], ['查一下{e}的评测', '{e}评测'], ['{e}值得买吗', '{e}评测'], ['{e}上市了吗？', '{e}发布时间']], query: [], fact: (r) => `${r.int(2024, 2027)}年${r.int(1, 12)}月`, snippet: '{e}将于{f}发布。', answer: '{e}将于{f}发布' },
  { entity: ZH_TOPIC, ask: ['最近关于{e}的新闻', '搜索一下{e}的最新消息', '{e}有什么新进展？', '{e}最新动态', '帮我查查{e}的新闻'], query: ['{e}最新消息', '{e}新闻'], fact: (r) => r.pick(['发布了新报告', '获得新投资', '开始试验', '进度推迟']), snippet: '{e}最新消息：{f}。', answer: '关于{e}的最新消息是{f}' },
  { entity: ZH_CITY, second: ZH_CITY, ask: ['今晚有没有从{e}到{b}的高铁？', '{e}到{b}有多远？', '{e}到{b}坐高铁要多久？', '从{e}去{b}怎么走', '{e}离{b}多少公里'], query: ['{e}到{b}', '{e}到{b}高铁'], fact: (r) => `${r.int(40, 900)}公里`, snippet: '{e}到{b}：{f}。', answer: '{e}到{b}约{f}' },
  { entity: ZH_CITY, second: (r) => r.pick(ZH_FOOD), ask: ['帮我查一下{e}好吃的{b}店', '{e}哪里的{b}最好吃？', '推荐几家{e}的{b}', '{e}有什么好的{b}店', '{e}最有名的{b}'], query: ['{e}{b}推荐', '{e}{b}'], fact: (r) => `${zhInvented(r)}${r.pick(['楼', '记', '坊'])}`, snippet: '{e}人气{b}店：{f}。', answer: '{e}推荐的{b}店是{f}' },
  { entity: ZH_COUNTRY, ask: [['{e}最高的山是哪座？', '{e}最高的山'], ['{e}最长的河是什么', '{e}最长的河'], ['{e}最大的城市是哪个', '{e}最大的城市'], ['{e}最高的楼是哪栋', '{e}最高的楼'], ['{e}最大的湖叫什么', '{e}最大的湖']], query: [], fact: (r) => `${zhInvented(r)}山`, snippet: '{e}之最：{f}。', answer: '答案是{f}' },
]

const THINK: Record<Lang, readonly string[]> = {
  en: ['I should search the web for {q}.', 'This needs a web search: {q}.', 'I will look up {q}.', 'A search for {q} will answer this.', 'Let me search for {q}.'],
  zh: ['需要搜索{q}。', '我应该上网搜索{q}。', '我来搜索一下{q}。', '搜索{q}可以回答这个问题。', '这需要联网查询{q}。'],
}

/** A search turn asked in an everyday shape, with a noun-phrase query. */
export function searchShapeTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const shape = rng.pick(lang === 'en' ? EN : ZH)
  let e = shape.entity(rng)
  let b = shape.second?.(rng) ?? ''
  const lower = lang === 'en' && rng.chance(0.15)
  if (lower) {
    e = e.toLowerCase()
    b = b.toLowerCase()
  }
  const f = shape.fact(rng)
  const picked = pickFor(rng, shape.ask, split)
  const [template, queryTemplate] = typeof picked === 'string' ? [picked, rng.pick(shape.query)] : picked
  // `the Colosseum` reads `the …` mid-sentence but `The …` at the start.
  const filled = fill(template, { e, b })
  const ask = template.startsWith('{e}') ? filled[0]!.toUpperCase() + filled.slice(1) : filled
  // Titles keep their 《》 in Chinese questions but not in queries.
  const q = fill(queryTemplate, { e: e.replace(/^the /i, '').replace(/[《》]/g, ''), b })
  const snippet = fill(shape.snippet, { e, b, f })
  const hits = rng.int(1, 3)
  const at = rng.int(0, hits - 1)
  const snippets = Array.from({ length: hits }, (_, i) => (i === at ? snippet : lang === 'en' ? `More about ${q}.` : `${q}相关资料。`))
  const c = `<sup><|${at + 1}|></sup>`
  return {
    kind: 'search',
    lang,
    human: decorate(rng, lang, split, lower ? ask.toLowerCase() : ask),
    thought: fill(pickFor(rng, THINK[lang], split), { q }),
    calls: [{ command: 'Search', input: q, synthetic: JSON.stringify(snippets), fact: f }],
    answer: () => {
      const text = fill(shape.answer, { e, b, f })
      return `${text[0]!.toUpperCase()}${text.slice(1)}${c}${lang === 'en' ? '.' : '。'}`
    },
    requires: ['Search'],
  }
}
