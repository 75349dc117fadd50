/** Calculator questions: the expression is copied from the question into `Calculate("…")`. */
import { decorate } from './decorate.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

function num(rng: Rng): string {
  const r = rng.next()
  if (r < 0.35) return String(rng.int(2, 99))
  if (r < 0.65) return String(rng.int(100, 9999))
  if (r < 0.8) return String(rng.int(10000, 999999))
  return `${rng.int(0, 999)}.${rng.int(1, 99)}`
}

/** A random arithmetic expression written as a user would type it. */
export function expression(rng: Rng): string {
  const op = (): string => rng.pick(['+', '-', '*', '/', '*', '+'])
  const sp = rng.chance(0.25) ? ' ' : ''
  const r = rng.next()
  if (r < 0.45) return `${num(rng)}${sp}${op()}${sp}${num(rng)}`
  if (r < 0.6) return `${num(rng)}${sp}${op()}${sp}${num(rng)}${sp}${op()}${sp}${num(rng)}`
  if (r < 0.7) return `(${num(rng)}${sp}${rng.pick(['+', '-'])}${sp}${num(rng)})${sp}${rng.pick(['*', '/'])}${sp}${num(rng)}`
  if (r < 0.78) return `${rng.int(2, 99)}^${rng.int(2, 12)}`
  if (r < 0.85) return `sqrt(${rng.int(2, 99999)})`
  if (r < 0.9) return `${num(rng)}*${rng.int(2, 99)}%`
  if (r < 0.95) return `${rng.pick(['sin', 'cos', 'tan'])}(${rng.pick(['pi/6', 'pi/4', 'pi/3', '30 deg', '45 deg', '0.5', '1'])})`
  return `${rng.pick(['log', 'log10', 'exp'])}(${rng.int(2, 1000)})`
}

const ASK: Record<Lang, readonly string[]> = {
  en: [
    'What is {e}?', "What's {e}?", 'Calculate {e}.', 'Compute {e}', 'How much is {e}?', 'Can you work out {e}?',
    'Please evaluate {e}.', '{e} = ?', 'Tell me the result of {e}.', 'I need the value of {e}.',
    'Could you calculate {e} for me?', 'What does {e} equal?', 'What do you get for {e}?', 'Find the value of {e}.',
    'Evaluate the expression {e}.', 'Quick math: {e}', 'Help me calculate {e}.', 'What is the result of {e}?',
    'Give me {e}.', 'How much does {e} come to?', 'Work out {e}, please.', '{e}', 'Do the math: {e}',
    'Figure out {e} for me.', 'Can you tell me what {e} is?', "I'm trying to compute {e}. What's the answer?",
    'Use the calculator for {e}.', 'What is the answer to {e}?', 'Result of {e}?', 'Can you help me with {e}?',
    'What is {e} equal to?', 'Please compute: {e}', 'Mind calculating {e}?', 'How big is {e}?', '{e}=?',
    'Could you do {e} for me?', 'What number is {e}?', 'I want to know {e}.', 'Can you evaluate {e}?',
    'Run the numbers on {e}.', 'So what is {e} then?', 'Let me know what {e} gives.', 'Crunch {e} for me.',
    'Need a hand with {e}.', 'My homework asks for {e}. What is it?', 'Calculate: {e}', 'Work this out: {e}',
    'What would {e} be?', 'Solve {e} numerically.', 'What is the value of {e}?', 'Compute the value of {e}.',
    'Tell me {e}.', 'How much is {e} exactly?', 'Check {e} for me.', 'Is {e} a big number? Compute it.',
    'Evaluate {e}', 'Please work out {e}.', 'Could you find {e}?', 'What comes out of {e}?', 'Can you do the sum {e}?',
  ],
  zh: [
    '{e}等于多少？', '计算{e}', '{e}是多少？', '帮我算一下{e}', '请计算{e}。', '{e}=？', '算一下 {e}', '{e} 的结果是什么？',
    '请问{e}等于几？', '帮我算算{e}吧', '{e}得多少？', '能帮我计算{e}吗？', '{e}的值是多少？', '求{e}的值。', '{e}',
    '我想知道{e}等于多少', '计算一下：{e}', '请帮忙算出{e}', '{e} 等于？', '你能算出{e}吗？', '{e}算出来是多少？',
    '用计算器算一下{e}', '请给出{e}的结果', '麻烦算下{e}', '{e}结果是？', '算{e}', '这道题怎么算：{e}',
    '{e}，答案是多少？', '帮忙求一下{e}', '我需要{e}的计算结果', '{e}一共是多少？', '快速算一下{e}', '请求出{e}',
    '算一算{e}等于多少', '请帮我把{e}算出来', '{e}的计算结果？', '告诉我{e}等于多少', '计算：{e}', '{e}怎么算？',
    '能不能算一下{e}', '作业里有一道题：{e}，等于多少？', '{e}是几？', '求值：{e}', '你帮我算下{e}好吗', '{e}=?',
    '数学题：{e}', '{e}得几', '请计算表达式{e}', '帮我求{e}的结果', '我算不出{e}，你帮我算算',
  ],
}

const THINK: Record<Lang, readonly string[]> = {
  en: ['The user wants to calculate {e}, so I should use the calculator.', 'I need to compute {e} with the calculator.',
    'This is an arithmetic question; I will call the calculator.', 'To get an exact value I should calculate {e}.',
    'The user asks for {e}. Calling the calculator.', 'I should use the calculator to evaluate {e}.'],
  zh: ['用户想计算{e}，我需要调用计算器。', '这是一个计算问题，应该使用计算器。', '需要用计算器求出{e}的值。',
    '用户询问{e}的结果，我来调用计算器。', '为了得到准确结果，我要计算{e}。', '我应该用计算器计算{e}。'],
}

const ANSWER: Record<Lang, readonly string[]> = {
  en: ['{e} = {v}.', 'The result is {v}.', '{e} equals {v}.', 'The answer is {v}.', 'It comes to {v}.',
    "That's {v}.", 'According to the calculator, {e} = {v}.', 'The value of {e} is {v}.', '{e} is {v}.',
    'The calculation gives {v}.', 'Sure! {e} = {v}.', 'Here you go: {e} = {v}.'],
  zh: ['{e}等于{v}。', '计算结果是{v}。', '{e}的结果为{v}。', '答案是{v}。', '结果是{v}。', '{e} = {v}。',
    '经过计算，{e}等于{v}。', '{e}的值是{v}。', '算出来是{v}。', '好的，{e}的结果是{v}。', '等于{v}。', '根据计算器，{e}={v}。'],
}

interface Story {
  readonly q: string
  readonly e: (a: string, b: string) => string
  readonly a: string
}

const STORIES: Record<Lang, readonly Story[]> = {
  en: [
    { q: 'One ticket costs {a} dollars. How much do {b} tickets cost?', e: (a, b) => `${a}*${b}`, a: '{b} tickets cost {v} dollars.' },
    { q: 'I have {a} apples and buy {b} more. How many apples do I have?', e: (a, b) => `${a}+${b}`, a: 'You have {v} apples.' },
    { q: 'A car drives at {a} km/h for {b} hours. How far does it go?', e: (a, b) => `${a}*${b}`, a: 'It goes {v} km.' },
    { q: 'Split {a} dollars equally among {b} people. How much does each get?', e: (a, b) => `${a}/${b}`, a: 'Each person gets {v} dollars.' },
    { q: 'A room is {a} m long and {b} m wide. What is its area?', e: (a, b) => `${a}*${b}`, a: 'The area is {v} square meters.' },
    { q: 'I had {a} dollars and spent {b}. How much is left?', e: (a, b) => `${a}-${b}`, a: 'You have {v} dollars left.' },
    { q: 'A box holds {a} pens. How many pens are in {b} boxes?', e: (a, b) => `${a}*${b}`, a: 'There are {v} pens.' },
    { q: 'What is {b} percent of {a}?', e: (a, b) => `${a}*${b}/100`, a: '{b} percent of {a} is {v}.' },
    { q: 'The school has {a} boys and {b} girls. How many students in total?', e: (a, b) => `${a}+${b}`, a: 'There are {v} students in total.' },
    { q: 'A worker earns {a} yuan a day. How much in {b} days?', e: (a, b) => `${a}*${b}`, a: 'The worker earns {v} yuan.' },
    { q: 'A bus carries {a} people on each trip. How many people does it carry in {b} trips?', e: (a, b) => `${a}*${b}`, a: 'It carries {v} people.' },
    { q: 'There are {a} pages in a book and I read {b} pages. How many pages are left?', e: (a, b) => `${a}-${b}`, a: '{v} pages are left.' },
    { q: 'A bag of rice weighs {a} kg. What do {b} bags weigh?', e: (a, b) => `${a}*${b}`, a: '{b} bags weigh {v} kg.' },
    { q: 'We drove {a} km on Monday and {b} km on Tuesday. How far in total?', e: (a, b) => `${a}+${b}`, a: 'You drove {v} km in total.' },
    { q: 'A printer prints {a} pages a minute. How many pages in {b} minutes?', e: (a, b) => `${a}*${b}`, a: 'It prints {v} pages.' },
    { q: '{a} cookies are shared by {b} children. How many does each child get?', e: (a, b) => `${a}/${b}`, a: 'Each child gets {v} cookies.' },
    { q: 'My salary is {a} dollars and I save {b} percent of it. How much do I save?', e: (a, b) => `${a}*${b}/100`, a: 'You save {v} dollars.' },
    { q: 'A shelf has {a} books. I add {b} more. How many books are on it now?', e: (a, b) => `${a}+${b}`, a: 'There are {v} books on the shelf.' },
    { q: 'The tank held {a} liters and {b} liters leaked out. How much is left?', e: (a, b) => `${a}-${b}`, a: '{v} liters are left.' },
    { q: 'A train travels {a} km in {b} hours. What is its average speed?', e: (a, b) => `${a}/${b}`, a: 'Its average speed is {v} km/h.' },
    { q: 'Each crate has {a} bottles. How many bottles are in {b} crates?', e: (a, b) => `${a}*${b}`, a: 'There are {v} bottles.' },
    { q: 'A farm has {a} sheep and {b} goats. How many animals is that?', e: (a, b) => `${a}+${b}`, a: 'That is {v} animals.' },
    { q: 'I need {a} tiles per row and there are {b} rows. How many tiles do I need?', e: (a, b) => `${a}*${b}`, a: 'You need {v} tiles.' },
    { q: 'A rope is {a} cm long. I cut off {b} cm. How long is it now?', e: (a, b) => `${a}-${b}`, a: 'It is now {v} cm long.' },
    { q: 'The bill is {a} dollars and {b} friends split it evenly. What does each pay?', e: (a, b) => `${a}/${b}`, a: 'Each friend pays {v} dollars.' },
    { q: 'A phone plan costs {a} dollars a month. What does it cost for {b} months?', e: (a, b) => `${a}*${b}`, a: 'It costs {v} dollars for {b} months.' },
    { q: 'The price was {a} dollars and went down by {b} percent. How much is the discount?', e: (a, b) => `${a}*${b}/100`, a: 'The discount is {v} dollars.' },
    { q: 'A library lent out {a} books in May and {b} in June. How many in both months?', e: (a, b) => `${a}+${b}`, a: 'It lent out {v} books.' },
    { q: 'A pump fills {a} liters per hour. How many liters after {b} hours?', e: (a, b) => `${a}*${b}`, a: 'After {b} hours it fills {v} liters.' },
    { q: 'A road of {a} km is divided into {b} equal parts. How long is each part?', e: (a, b) => `${a}/${b}`, a: 'Each part is {v} km long.' },
  ],
  zh: [
    { q: '一张票{a}元，买{b}张一共多少钱？', e: (a, b) => `${a}*${b}`, a: '{b}张票一共{v}元。' },
    { q: '我有{a}个苹果，又买了{b}个，现在一共有几个？', e: (a, b) => `${a}+${b}`, a: '现在一共有{v}个苹果。' },
    { q: '汽车每小时行驶{a}公里，{b}小时能走多远？', e: (a, b) => `${a}*${b}`, a: '{b}小时能行驶{v}公里。' },
    { q: '{a}元平均分给{b}个人，每人分多少？', e: (a, b) => `${a}/${b}`, a: '每人分到{v}元。' },
    { q: '一个房间长{a}米，宽{b}米，面积是多少？', e: (a, b) => `${a}*${b}`, a: '面积是{v}平方米。' },
    { q: '我有{a}元，花掉了{b}元，还剩多少？', e: (a, b) => `${a}-${b}`, a: '还剩{v}元。' },
    { q: '一盒有{a}支笔，{b}盒一共有多少支？', e: (a, b) => `${a}*${b}`, a: '一共有{v}支笔。' },
    { q: '{a}的百分之{b}是多少？', e: (a, b) => `${a}*${b}/100`, a: '{a}的百分之{b}是{v}。' },
    { q: '学校有男生{a}人，女生{b}人，一共多少人？', e: (a, b) => `${a}+${b}`, a: '一共有{v}人。' },
    { q: '工人每天挣{a}元，{b}天挣多少？', e: (a, b) => `${a}*${b}`, a: '{b}天一共挣{v}元。' },
    { q: '一辆公交车每趟载{a}人，{b}趟一共载多少人？', e: (a, b) => `${a}*${b}`, a: '一共载了{v}人。' },
    { q: '一本书有{a}页，我读了{b}页，还剩多少页？', e: (a, b) => `${a}-${b}`, a: '还剩{v}页。' },
    { q: '一袋大米重{a}千克，{b}袋有多重？', e: (a, b) => `${a}*${b}`, a: '{b}袋一共重{v}千克。' },
    { q: '周一走了{a}公里，周二走了{b}公里，一共走了多少公里？', e: (a, b) => `${a}+${b}`, a: '一共走了{v}公里。' },
    { q: '打印机每分钟打印{a}页，{b}分钟能打印多少页？', e: (a, b) => `${a}*${b}`, a: '能打印{v}页。' },
    { q: '{a}块饼干分给{b}个小朋友，每人分几块？', e: (a, b) => `${a}/${b}`, a: '每人分到{v}块。' },
    { q: '我的工资是{a}元，存下百分之{b}，能存多少钱？', e: (a, b) => `${a}*${b}/100`, a: '能存{v}元。' },
    { q: '书架上有{a}本书，又放了{b}本，现在有多少本？', e: (a, b) => `${a}+${b}`, a: '现在有{v}本书。' },
    { q: '水箱里有{a}升水，漏掉了{b}升，还剩多少升？', e: (a, b) => `${a}-${b}`, a: '还剩{v}升水。' },
    { q: '火车{b}小时行驶了{a}公里，平均速度是多少？', e: (a, b) => `${a}/${b}`, a: '平均速度是每小时{v}公里。' },
    { q: '每箱装{a}瓶水，{b}箱一共多少瓶？', e: (a, b) => `${a}*${b}`, a: '一共有{v}瓶。' },
    { q: '农场有{a}只羊和{b}只鸡，一共多少只动物？', e: (a, b) => `${a}+${b}`, a: '一共有{v}只动物。' },
    { q: '每排铺{a}块砖，铺{b}排需要多少块？', e: (a, b) => `${a}*${b}`, a: '需要{v}块砖。' },
    { q: '一根绳子长{a}厘米，剪掉{b}厘米，还剩多长？', e: (a, b) => `${a}-${b}`, a: '还剩{v}厘米。' },
    { q: '账单{a}元，{b}个朋友平摊，每人付多少？', e: (a, b) => `${a}/${b}`, a: '每人付{v}元。' },
    { q: '手机套餐每月{a}元，{b}个月要多少钱？', e: (a, b) => `${a}*${b}`, a: '{b}个月要{v}元。' },
    { q: '原价{a}元，打折减少百分之{b}，便宜了多少钱？', e: (a, b) => `${a}*${b}/100`, a: '便宜了{v}元。' },
    { q: '图书馆五月借出{a}本书，六月借出{b}本，两个月一共借出多少本？', e: (a, b) => `${a}+${b}`, a: '一共借出{v}本。' },
    { q: '水泵每小时抽水{a}升，{b}小时抽多少升？', e: (a, b) => `${a}*${b}`, a: '{b}小时抽水{v}升。' },
    { q: '一条{a}公里的路平均分成{b}段，每段多长？', e: (a, b) => `${a}/${b}`, a: '每段长{v}公里。' },
  ],
}

/** A calculator turn. */
export function calculateTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  if (rng.chance(0.3)) {
    const story = pickFor(rng, STORIES[lang], split)
    const a = String(rng.int(2, 999))
    const b = String(rng.int(2, 99))
    const e = story.e(a, b)
    return {
      kind: 'calculate',
      lang,
      human: decorate(rng, lang, split, fill(story.q, { a, b })),
      thought: fill(pickFor(rng, THINK[lang], split), { e }),
      calls: [{ command: 'Calculate', input: e }],
      answer: ([v = '']) => fill(story.a, { a, b, v }),
      requires: ['Calculate'],
    }
  }
  const e = expression(rng)
  if (rng.chance(0.08)) {
    const e2 = expression(rng)
    const ask = lang === 'en' ? pickFor(rng, ['What are {e} and {f}?', 'Calculate {e} and {f}.', 'Compute {e} and also {f}.', 'Tell me {e} and {f}.', 'Two sums: {e} and {f}'], split)
      : pickFor(rng, ['{e}和{f}分别等于多少？', '计算{e}和{f}', '帮我算{e}，还有{f}', '{e}与{f}各是多少？', '分别算一下{e}和{f}'], split)
    return {
      kind: 'calculate',
      lang,
      human: decorate(rng, lang, split, fill(ask, { e, f: e2 })),
      thought: lang === 'en' ? 'Two calculations are needed; I will call the calculator twice.' : '需要两次计算，我会调用两次计算器。',
      calls: [{ command: 'Calculate', input: e }, { command: 'Calculate', input: e2 }],
      answer: ([v = '', w = '']) => (lang === 'en' ? `${e} = ${v}, and ${e2} = ${w}.` : `${e}等于${v}，${e2}等于${w}。`),
      requires: ['Calculate'],
    }
  }
  return {
    kind: 'calculate',
    lang,
    human: decorate(rng, lang, split, fill(pickFor(rng, ASK[lang], split), { e })),
    thought: fill(pickFor(rng, THINK[lang], split), { e }),
    calls: [{ command: 'Calculate', input: e }],
    answer: ([v = '']) => fill(pickFor(rng, ANSWER[lang], split), { e, v }),
    requires: ['Calculate'],
  }
}
