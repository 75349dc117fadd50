/**
 * Word problems that the equation solver settles: sums and differences, ages, heads and legs, perimeters,
 * consecutive numbers, prices, trains meeting, and equations said in words. People ask for the answer, not for an equation, so the thought names the
 * unknowns and writes the equation (`Let x be the number: 3x+7=31`) and the command copies it. Values are drawn so the
 * solutions are whole numbers.
 */
import { decorate } from './decorate.js'
import { chineseNumber, englishNumber } from './numbers.js'
import { joinSolution } from './solve.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

/** One problem: the question in both languages, what x (and y) stand for, and the equation. */
interface Problem {
  readonly q: Record<Lang, string>
  readonly unknown: Record<Lang, string>
  readonly eq: string
}

type Maker = (rng: Rng) => Problem

const twoNumbers: Maker = (rng) => {
  const y = rng.int(3, 90)
  const x = y + rng.int(1, 60)
  return {
    q: {
      en: `The sum of two numbers is ${x + y} and their difference is ${x - y}. What are the two numbers?`,
      zh: `两个数的和是${x + y}，差是${x - y}，这两个数分别是多少？`,
    },
    unknown: { en: 'x be the larger number and y the smaller', zh: '较大的数为x，较小的数为y' },
    eq: `x+y=${x + y};x-y=${x - y}`,
  }
}

const aNumber: Maker = (rng) => {
  const x = rng.int(2, 60)
  const k = rng.int(2, 9)
  const c = rng.int(1, Math.min(50, k * x - 1))
  // Added or taken away, said several ways, so the sign in the equation comes from the words.
  const minus = rng.chance(0.5)
  const total = minus ? k * x - c : k * x + c
  const [en, zh] = minus
    ? rng.pick([[`${k} times a number minus ${c} equals ${total}`, `一个数的${k}倍减去${c}等于${total}`],
      [`If you multiply a number by ${k} and subtract ${c}, you get ${total}`, `一个数乘以${k}再减${c}，结果是${total}`],
      [`${c} less than ${k} times a number is ${total}`, `一个数的${k}倍少${c}是${total}`]])
    : rng.pick([[`${k} times a number plus ${c} equals ${total}`, `一个数的${k}倍加上${c}等于${total}`],
      [`If you multiply a number by ${k} and add ${c}, you get ${total}`, `一个数乘以${k}再加${c}，结果是${total}`],
      [`${c} more than ${k} times a number is ${total}`, `一个数的${k}倍多${c}是${total}`]])
  return {
    q: { en: `${en}. What is the number?`, zh: `${zh}，这个数是多少？` },
    unknown: { en: 'x be the number', zh: '这个数为x' },
    eq: `${k}x${minus ? '-' : '+'}${c}=${total}`,
  }
}

const ages: Maker = (rng) => {
  const son = rng.int(3, 15)
  const k = rng.int(3, 5)
  // In n years the father is twice as old: k*son + n = 2*(son + n), so n = (k-2)*son.
  const n = (k - 2) * son
  return {
    q: {
      en: `A father is ${k} times as old as his son. In ${n} years he will be twice as old as his son. How old is the son now?`,
      zh: `爸爸的年龄是儿子的${k}倍，${n}年后爸爸的年龄是儿子的2倍。儿子今年几岁？`,
    },
    unknown: { en: "x be the son's age now", zh: '儿子今年x岁' },
    eq: `${k}x+${n}=2*(x+${n})`,
  }
}

const headsAndLegs: Maker = (rng) => {
  const chickens = rng.int(3, 40)
  const rabbits = rng.int(3, 40)
  return {
    q: {
      en: `A farm has chickens and rabbits: ${chickens + rabbits} heads and ${2 * chickens + 4 * rabbits} legs in all. How many of each are there?`,
      zh: `鸡兔同笼，共有${chickens + rabbits}个头，${2 * chickens + 4 * rabbits}只脚，鸡和兔各有多少只？`,
    },
    unknown: { en: 'x be the number of chickens and y of rabbits', zh: '鸡有x只，兔有y只' },
    eq: `x+y=${chickens + rabbits};2x+4y=${2 * chickens + 4 * rabbits}`,
  }
}

const rectangle: Maker = (rng) => {
  const w = rng.int(2, 40)
  const k = rng.int(1, 20)
  return {
    q: {
      en: `A rectangle is ${k} cm longer than it is wide, and its perimeter is ${2 * (2 * w + k)} cm. How wide is it?`,
      zh: `一个长方形的长比宽多${k}厘米，周长是${2 * (2 * w + k)}厘米，宽是多少厘米？`,
    },
    unknown: { en: 'x be the width', zh: '宽为x厘米' },
    eq: `2*(x+x+${k})=${2 * (2 * w + k)}`,
  }
}

const consecutive: Maker = (rng) => {
  const x = rng.int(1, 200)
  return {
    q: {
      en: `Three consecutive whole numbers add up to ${3 * x + 3}. What is the smallest of them?`,
      zh: `三个连续整数的和是${3 * x + 3}，最小的那个数是多少？`,
    },
    unknown: { en: 'x be the smallest', zh: '最小的数为x' },
    eq: `x+(x+1)+(x+2)=${3 * x + 3}`,
  }
}

const items = (notebooks: number, pens: number): string =>
  `${notebooks} notebook${notebooks > 1 ? 's' : ''} and ${pens} pen${pens > 1 ? 's' : ''}`

const prices: Maker = (rng) => {
  const x = rng.int(2, 30)
  const y = rng.int(2, 30)
  const [a, b, c, d] = [rng.int(1, 5), rng.int(1, 5), rng.int(1, 5), rng.int(1, 5)]
  if (a * d === b * c) return aNumber(rng)
  return {
    q: {
      en: `${items(a, b)} cost ${a * x + b * y} dollars; ${items(c, d)} cost ${c * x + d * y} dollars. How much is one notebook and one pen?`,
      zh: `${a}本笔记本和${b}支笔共${a * x + b * y}元，${c}本笔记本和${d}支笔共${c * x + d * y}元，笔记本和笔的单价各是多少？`,
    },
    unknown: { en: 'x be the price of a notebook and y of a pen', zh: '笔记本单价为x元，笔单价为y元' },
    eq: `${a}x+${b}y=${a * x + b * y};${c}x+${d}y=${c * x + d * y}`,
  }
}

const trains: Maker = (rng) => {
  const [u, v, t] = [rng.int(4, 16) * 10, rng.int(4, 16) * 10, rng.int(1, 6)]
  return {
    q: {
      en: `Two trains ${(u + v) * t} km apart head towards each other at ${u} km/h and ${v} km/h. After how many hours do they meet?`,
      zh: `甲乙两地相距${(u + v) * t}千米，两列火车同时相向开出，速度分别是每小时${u}千米和${v}千米，几小时后相遇？`,
    },
    unknown: { en: 'x be the number of hours', zh: 'x小时后相遇' },
    eq: `(${u}+${v})*x=${(u + v) * t}`,
  }
}

/**
 * An equation said in words rather than typed (`x squared equals 49`, `3x减7等于11`), numbers sometimes in words too:
 * the thought writes it in symbols for the command.
 */
const spoken: Maker = (rng) => {
  const say = (n: number): { en: string; zh: string } =>
    rng.chance(0.35) ? { en: englishNumber(n, false), zh: chineseNumber(n) } : { en: String(n), zh: String(n) }
  if (rng.chance(0.4)) {
    const root = rng.int(2, 15)
    const shift = rng.chance(0.5) ? rng.int(1, Math.min(30, root * root - 1)) : 0
    const sq = say(root * root - shift)
    const b = say(shift)
    const [en, zh] = shift === 0
      ? rng.pick([[`x squared equals ${sq.en}`, `x的平方等于${sq.zh}`], [`the square of x is ${sq.en}`, `x的平方是${sq.zh}`]])
      : [`x squared minus ${b.en} equals ${sq.en}`, `x的平方减${b.zh}等于${sq.zh}`]
    return {
      q: { en: `${en}. What is x?`, zh: `${zh}，x是多少？` },
      unknown: { en: 'x be the unknown', zh: 'x为未知数' },
      eq: shift === 0 ? `x^2=${root * root}` : `x^2-${shift}=${root * root - shift}`,
    }
  }
  const x = rng.int(-10, 30)
  const k = rng.int(2, 9)
  const c = rng.int(1, 40)
  const minus = rng.chance(0.5) && k * x - c !== 0
  const total = minus ? k * x - c : k * x + c
  const kw = say(k)
  const cw = say(c)
  const tw = say(Math.abs(total))
  const t = { en: total < 0 ? `minus ${tw.en}` : tw.en, zh: total < 0 ? `负${tw.zh}` : tw.zh }
  const [en, zh] = rng.pick([
    [`${kw.en} x ${minus ? 'minus' : 'plus'} ${cw.en} equals ${t.en}`, `${k}x${minus ? '减' : '加'}${cw.zh}等于${t.zh}`],
    [`${kw.en} times x ${minus ? 'minus' : 'plus'} ${cw.en} is ${t.en}`, `x的${kw.zh}倍${minus ? '减去' : '加上'}${cw.zh}等于${t.zh}`],
  ])
  return {
    q: { en: `${en}. What is x?`, zh: `${zh}，求x。` },
    unknown: { en: 'x be the unknown', zh: 'x为未知数' },
    eq: `${k}x${minus ? '-' : '+'}${c}=${total}`,
  }
}

const MAKERS: readonly Maker[] = [twoNumbers, aNumber, aNumber, ages, headsAndLegs, rectangle, consecutive, prices, trains, spoken, spoken]

const ASK: Record<Lang, readonly string[]> = {
  en: ['{q}', '{q} Please use an equation.', 'Help me with this problem: {q}', 'Homework question: {q}', '{q} Can you solve it?',
    'Can you work this out? {q}', '{q} Show me the answer.', 'Math problem: {q}', 'I am stuck on this one. {q}', '{q} Thanks!'],
  zh: ['{q}', '{q}请列方程求解。', '帮我做这道题：{q}', '作业题：{q}', '{q}怎么算？', '这道题怎么做？{q}', '{q}求答案。', '应用题：{q}',
    '这题我不会：{q}', '{q}谢谢！'],
}

const THINK: Record<Lang, readonly string[]> = {
  en: ['Let {u}: {e}. I will use the equation solver.', 'This needs an equation. Let {u}; then {e}. Calling the solver.',
    'Let {u}. Then {e}, which the solver can solve.', 'Writing it as an equation, let {u}: {e}.', 'Let {u}, so {e}. Solving it.'],
  zh: ['设{u}，则{e}，用方程求解器求解。', '这需要列方程：设{u}，得{e}。', '设{u}，可列方程{e}，调用求解器。', '列方程：设{u}，{e}。',
    '设{u}，方程为{e}，我来求解。'],
}

const ANSWER: Record<Lang, readonly string[]> = {
  en: ['Solving gives {r}.', 'The solution is {r}.', 'Letting {u}, we get {r}.', 'The equation solver finds {r}.', 'So {r}.'],
  zh: ['解得{r}。', '方程的解是{r}。', '设{u}，解得{r}。', '求解结果：{r}。', '所以{r}。'],
}

const NO_RESULT: Record<Lang, string> = {
  en: 'The solver found no solution for these equations.',
  zh: '求解器没有找到这个方程的解。',
}

/** A word problem for the equation solver. */
export function solveWordsTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const p = rng.pick(MAKERS)(rng)
  const u = p.unknown[lang]
  const answerTemplate = pickFor(rng, ANSWER[lang], split)
  return {
    kind: 'solve',
    lang,
    human: decorate(rng, lang, split, fill(pickFor(rng, ASK[lang], split), { q: p.q[lang] })),
    thought: fill(pickFor(rng, THINK[lang], split), { u, e: p.eq }),
    calls: [{ command: 'Solve', input: p.eq }],
    answer: ([r = '']) => (r === '' || r.startsWith('No result') ? NO_RESULT[lang] : fill(answerTemplate, { u, r: joinSolution(r, lang) })),
    requires: ['Solve'],
  }
}
