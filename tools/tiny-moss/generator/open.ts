/**
 * Open requests that need no plugin even with every plugin on: explain, compare, advise, write, list, translate,
 * summarise — long questions about a topic, often with a number in them (`Give me 5 tips…`, `写一篇300字的…`) that is
 * a count, not a calculation. `Commands: None`. The tiny model otherwise learns "a long question, or a number, means a
 * tool". Topics and templates are written here; none comes from an evaluation set.
 */
import { noCallTurn } from './no-call.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

const TOPICS: Record<Lang, readonly string[]> = {
  en: ['machine learning', 'climate change', 'the French Revolution', 'photosynthesis', 'time management', 'public speaking',
    'learning a new language', 'healthy sleep', 'the stock market', 'democracy', 'renewable energy', 'black holes',
    'friendship', 'remote work', 'cooking rice', 'saving money', 'job interviews', 'social media', 'recycling', 'meditation',
    'the immune system', 'electric cars', 'ancient Rome', 'poetry', 'video games', 'volunteering', 'inflation', 'DNA',
    'the internet', 'stress at work', 'running a marathon', 'gardening', 'writing a resume', 'quantum computing',
    'the water cycle', 'online privacy', 'classical music', 'team leadership', 'a healthy breakfast', 'studying for exams',
    'moving to a new city', 'raising a puppy', 'open source software', 'the Renaissance', 'artificial intelligence',
    'procrastination', 'a first date', 'starting a small business', 'minimalism', 'the history of tea'],
  zh: ['机器学习', '气候变化', '唐朝的历史', '光合作用', '时间管理', '公开演讲', '学习一门外语', '健康的睡眠', '股票市场',
    '可再生能源', '黑洞', '友谊', '远程办公', '做红烧肉', '存钱', '面试技巧', '社交媒体', '垃圾分类', '冥想', '免疫系统',
    '电动汽车', '古代罗马', '唐诗', '电子游戏', '志愿服务', '通货膨胀', 'DNA', '互联网', '工作压力', '跑马拉松', '种花',
    '写简历', '量子计算', '水循环', '网络隐私', '古典音乐', '团队管理', '健康早餐', '备考', '搬到新城市', '养小狗',
    '开源软件', '文艺复兴', '人工智能', '拖延症', '第一次约会', '创业', '极简生活', '茶文化', '中秋节'],
}

/** Templates with `{t}` (a topic) and sometimes `{n}` (a small count: a length or a number of items, never a sum). */
const ASK: Record<Lang, readonly string[]> = {
  en: ['Can you explain {t} in simple terms?', 'What is {t}?', 'Tell me about {t}.', 'Write a short essay about {t}.',
    'Give me {n} tips on {t}.', 'What are the pros and cons of {t}?', 'How would you describe {t} to a child?',
    'Write a {n}-word story about {t}.', 'What do you think about {t}?', 'List {n} facts about {t}.',
    'Help me write an email about {t}.', 'Summarize the main ideas of {t}.', 'Why is {t} important?',
    'Write a poem about {t}.', 'I want to learn about {t}. Where should I start?', 'Can you give me an outline for a talk on {t}?',
    'Explain {t} in {n} sentences.', 'What are common mistakes people make with {t}?', 'Compare {t} and {u}.',
    'Give me {n} ideas related to {t}.', 'How can I get better at {t}?', 'Write a haiku about {t}.',
    'What questions should I ask about {t}?', 'Describe {t} in one paragraph.', 'Translate "I love {t}" into Chinese.',
    'Could you help me understand {t}? I read about it and got confused.', 'Make a {n}-day plan for {t}.',
    'What is the difference between {t} and {u}?', 'Write a slogan about {t}.', 'Is {t} a good topic for a school project?'],
  zh: ['能用简单的话解释一下{t}吗？', '什么是{t}？', '给我讲讲{t}。', '写一篇关于{t}的短文。', '给我{n}条关于{t}的建议。',
    '{t}有什么优点和缺点？', '怎么向小朋友介绍{t}？', '写一篇{n}字的关于{t}的故事。', '你怎么看{t}？', '列出{n}个关于{t}的知识点。',
    '帮我写一封关于{t}的邮件。', '总结一下{t}的要点。', '为什么{t}很重要？', '写一首关于{t}的诗。', '我想了解{t}，应该从哪里开始？',
    '帮我列一个关于{t}的演讲提纲。', '用{n}句话解释{t}。', '人们在{t}上常犯哪些错误？', '比较一下{t}和{u}。', '给我{n}个和{t}有关的点子。',
    '怎样才能在{t}方面做得更好？', '以{t}为题写一首短诗。', '关于{t}我应该问哪些问题？', '用一段话描述{t}。',
    '把“我喜欢{t}”翻译成英文。', '我看了关于{t}的文章，有点糊涂，你能帮我理解吗？', '为{t}做一个{n}天的计划。',
    '{t}和{u}有什么区别？', '给{t}写一句口号。', '{t}适合做学校的课题吗？'],
}

const ANSWER: Record<Lang, readonly string[]> = {
  en: ['{T} is a broad subject. In short, it is worth learning step by step, starting with the basic ideas.',
    'Here is a short answer about {t}: start with the main ideas, look at a few examples, and practice a little every day.',
    'Good question! {T} has many sides. The key points are its main idea, why it matters, and how it affects daily life.',
    'Sure. When it comes to {t}, the most important thing is to understand the basics first and then go deeper.'],
  zh: ['{t}是一个很大的话题。简单来说，可以先了解基本概念，再一步步深入。', '关于{t}：先抓住核心概念，再看几个例子，每天练习一点。',
    '好问题！{t}有很多方面，最重要的是它的基本思想、它为什么重要，以及它和日常生活的关系。', '好的。谈到{t}，最重要的是先打好基础，然后再深入学习。'],
}

/** The thoughts of an open request (exported for the tests, which tell these turns from chit-chat by them). */
export const OPEN_THOUGHTS: Record<Lang, readonly string[]> = {
  en: ['This is an open question I can answer myself; no tool is needed.', 'The user wants an explanation, not a calculation or a search.',
    'No plugin is needed: I can write this directly.', 'This asks for writing or advice, which needs no tool.',
    'The number here is a count, not a calculation. No tool is needed.'],
  zh: ['这是开放性问题，我可以直接回答，不需要工具。', '用户需要解释，不需要计算或搜索。', '不需要调用插件，直接写即可。',
    '这是写作或建议类的请求，不需要工具。', '这里的数字只是数量，不需要计算，也不需要工具。'],
}

/** A long open request that calls nothing. */
export function openTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const topics = TOPICS[lang]
  const t = pickFor(rng, topics, split)
  let u = pickFor(rng, topics, split)
  if (u === t) u = topics[(topics.indexOf(t) + 7) % topics.length]!
  const n = String(rng.pick([2, 3, 3, 5, 5, 7, 10, 100, 200, 300, 500, 800]))
  const cap = lang === 'en' ? t[0]!.toUpperCase() + t.slice(1) : t
  const core = fill(pickFor(rng, ASK[lang], split), { t, u, n })
  const answer = fill(pickFor(rng, ANSWER[lang], split), { t, T: cap })
  return noCallTurn(rng, lang, split, core, answer, OPEN_THOUGHTS, 0.5)
}
