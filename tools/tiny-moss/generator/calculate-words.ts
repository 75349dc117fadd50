/**
 * Calculator questions in the forms people type rather than as expressions: operators and numbers in words
 * (`nine times six`, `三百除以五`), percentages, discounts and tips, unit conversions, everyday formulas, `×`/`÷` and full-width
 * symbols, common typos. The command is always the plain ASCII expression (`Calculate("7*8")`), which the thought
 * writes first, so the model translates once and then copies.
 */
import { decorate } from './decorate.js'
import { chineseNumber, englishNumber, fullWidth } from './numbers.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

/** A question core and the expression it means. */
export interface WordProblem {
  readonly core: string
  readonly expr: string
  /** `np`: reads after "What is"; `imp`: an instruction that stands alone; `q`: a whole question. */
  readonly form: 'np' | 'imp' | 'q'
}

/** An operand: usually digits, sometimes words; `raw` goes into the expression. */
function operand(rng: Rng, lang: Lang, lo: number, hi: number, words = 0.3): { text: string; raw: string } {
  const n = rng.int(lo, hi)
  if (rng.chance(words) && n <= (lang === 'en' ? 9999 : 99_999)) return { text: lang === 'en' ? englishNumber(n, rng.chance(0.6)) : chineseNumber(n), raw: String(n) }
  if (lang === 'en' && n >= 1000 && rng.chance(0.2)) return { text: n.toLocaleString('en-US'), raw: String(n) }
  return { text: String(n), raw: String(n) }
}

function decimal(rng: Rng): string {
  return `${rng.int(0, 99)}.${rng.int(1, 99)}`
}

type Maker = (rng: Rng, lang: Lang, split: Split) => WordProblem

const BINARY: Record<'+' | '-' | '*' | '/', Record<Lang, readonly string[]>> = {
  '+': {
    en: ['{a} plus {b}', '{a} + {b}', 'the sum of {a} and {b}', '{a} and {b} added together', '{a}+{b}', '{a} plus {b} in total', '{a} added to {b}', '{a} pluss {b}', '{a} more than {b}', '{a} +{b}'],
    zh: ['{a}加{b}', '{a}加上{b}', '{a}和{b}的和', '{a}＋{b}', '{a} + {b}', '{a}与{b}相加', '{a}加{b}的结果', '{a}再加{b}', '{a}+{b}', '{a}跟{b}加在一起'],
  },
  '-': {
    en: ['{a} minus {b}', '{a} - {b}', '{a} take away {b}', '{a} less {b}', '{a}-{b}', 'the difference between {a} and {b}', '{a} minus {b} exactly', '{a} mins {b}', '{a} − {b}', '{a} subtract {b}'],
    zh: ['{a}减{b}', '{a}减去{b}', '{a}减掉{b}', '{a}－{b}', '{a} - {b}', '{a}与{b}的差', '{a}去掉{b}', '{a}-{b}', '{a}减去{b}的结果', '{a}少{b}'],
  },
  '*': {
    en: ['{a} times {b}', '{a} multiplied by {b}', '{a} x {b}', '{a} × {b}', 'the product of {a} and {b}', '{a}*{b}', '{a} times by {b}', '{a} multipled by {b}', '{a}x{b}', '{a} * {b}', '{a} lots of {b}', '{a} by {b}'],
    zh: ['{a}乘以{b}', '{a}乘{b}', '{a}乘上{b}', '{a}×{b}', '{a}和{b}的积', '{a} * {b}', '{a}成以{b}', '{a} × {b}', '{a}*{b}', '{a}乘以{b}的积', '{a}x{b}', '{a}与{b}相乘'],
  },
  '/': {
    en: ['{a} divided by {b}', '{a} / {b}', '{a} ÷ {b}', '{a} over {b}', '{a}/{b}', '{a} divided into {b} parts', '{a} divded by {b}', '{a} split {b} ways', '{a} ÷{b}', '{a} devided by {b}'],
    zh: ['{a}除以{b}', '{a}÷{b}', '{a} / {b}', '{b}除{a}', '{a}除以{b}的商', '{a}/{b}', '{a}平均分成{b}份', '{a} ÷ {b}', '{a}除{b}', '{a}被{b}除'],
  },
}

const binary: Maker = (rng, lang, split) => {
  const op = rng.pick(['+', '-', '*', '/', '*', '+'] as const)
  const small = op === '*' || op === '/'
  const a = rng.chance(0.15) ? { text: decimal(rng), raw: '' } : operand(rng, lang, 2, small ? 999 : 9999)
  const aRaw = a.raw || a.text
  const b = operand(rng, lang, 2, small ? 99 : 9999)
  const template = pickFor(rng, BINARY[op][lang], split)
  // `{b}除{a}` reads "b divides a": a/b. `{a}除{b}` (colloquial) is also a/b. The expression keeps a first.
  return { core: fill(template, { a: a.text, b: b.text }), expr: `${aRaw}${op}${b.raw}`, form: 'np' }
}

const IMPERATIVE: Record<'+' | '-' | '*' | '/', Record<Lang, readonly string[]>> = {
  '+': { en: ['add {a} and {b}', 'add {a} to {b}', 'sum {a} and {b}', 'add up {a} and {b}', 'add {a} plus {b}'], zh: ['把{a}和{b}加起来', '{a}和{b}相加', '把{a}加上{b}', '给{a}加上{b}', '算{a}加{b}'] },
  '-': { en: ['subtract {b} from {a}', 'take {b} away from {a}', 'deduct {b} from {a}', 'subtract {b} from {a} please', 'take away {b} from {a}'], zh: ['从{a}里减去{b}', '{a}减掉{b}', '把{a}减去{b}', '用{a}减{b}', '从{a}中去掉{b}'] },
  '*': { en: ['multiply {a} by {b}', 'multiply {a} and {b}', 'times {a} by {b}', 'multiply {a} with {b}', 'multiply together {a} and {b}'], zh: ['把{a}乘以{b}', '{a}和{b}相乘', '用{a}乘{b}', '把{a}和{b}乘起来', '给{a}乘上{b}'] },
  '/': { en: ['divide {a} by {b}', 'divide {a} into {b}', 'split {a} by {b}', 'divide {a} by {b} for me', 'share {a} among {b}'], zh: ['把{a}除以{b}', '用{a}除以{b}', '把{a}平均分给{b}个人', '用{b}去除{a}', '把{a}分成{b}份'] },
}

const imperative: Maker = (rng, lang, split) => {
  const op = rng.pick(['+', '-', '*', '/'] as const)
  const a = operand(rng, lang, 10, op === '*' ? 999 : 9999)
  const b = operand(rng, lang, 2, op === '*' || op === '/' ? 99 : 999)
  const template = pickFor(rng, IMPERATIVE[op][lang], split)
  return { core: fill(template, { a: a.text, b: b.text }), expr: `${a.raw}${op}${b.raw}`, form: 'imp' }
}

const POWERS: Record<Lang, readonly [string, (a: string, b: string) => string][]> = {
  en: [['{a} squared', (a) => `${a}^2`], ['{a} cubed', (a) => `${a}^3`], ['the square root of {a}', (a) => `sqrt(${a})`],
    ['{a} to the power of {b}', (a, b) => `${a}^${b}`], ['the square of {a}', (a) => `${a}^2`], ['half of {a}', (a) => `${a}/2`],
    ['double {a}', (a) => `${a}*2`], ['{a} to the {b}th power', (a, b) => `${a}^${b}`], ['sqrt of {a}', (a) => `sqrt(${a})`],
    ['twice {a}', (a) => `${a}*2`], ['the cube of {a}', (a) => `${a}^3`], ['√{a}', (a) => `sqrt(${a})`], ['{a} raised to {b}', (a, b) => `${a}^${b}`],
    ['triple {a}', (a) => `${a}*3`], ['a third of {a}', (a) => `${a}/3`]],
  zh: [['{a}的平方', (a) => `${a}^2`], ['{a}的立方', (a) => `${a}^3`], ['{a}的平方根', (a) => `sqrt(${a})`], ['{a}的{b}次方', (a, b) => `${a}^${b}`],
    ['根号{a}', (a) => `sqrt(${a})`], ['{a}的一半', (a) => `${a}/2`], ['{a}的两倍', (a) => `${a}*2`], ['{a}开平方', (a) => `sqrt(${a})`],
    ['{a}的{b}次幂', (a, b) => `${a}^${b}`], ['{a}的三倍', (a) => `${a}*3`], ['{a}开根号', (a) => `sqrt(${a})`], ['{a}的三分之一', (a) => `${a}/3`],
    ['{a}的平方是多少', (a) => `${a}^2`], ['{a}的四倍', (a) => `${a}*4`], ['{a}的立方根', (a) => `cbrt(${a})`]],
}

const powers: Maker = (rng, lang, split) => {
  const [template, make] = pickFor(rng, POWERS[lang], split)
  const a = operand(rng, lang, 2, template.includes('{b}') ? 20 : 999)
  const b = operand(rng, lang, 2, 12, 0.4)
  return { core: fill(template, { a: a.text, b: b.text }), expr: make(a.raw, b.raw), form: 'np' }
}

const PERCENT: Record<Lang, readonly [string, (a: string, p: string) => string][]> = {
  en: [['{p}% of {a}', (a, p) => `${a}*${p}/100`], ['{p} percent of {a}', (a, p) => `${a}*${p}/100`], ['{p}% off {a}', (a, p) => `${a}*(1-${p}/100)`],
    ['a {p}% tip on {a}', (a, p) => `${a}*${p}/100`], ['{a} increased by {p}%', (a, p) => `${a}*(1+${p}/100)`], ['{a} with a {p}% discount', (a, p) => `${a}*(1-${p}/100)`],
    ['{a} plus {p}% tax', (a, p) => `${a}*(1+${p}/100)`], ['{p} per cent of {a}', (a, p) => `${a}*${p}/100`], ['{a} decreased by {p}%', (a, p) => `${a}*(1-${p}/100)`],
    ['a {p}% tip on a ${a} bill', (a, p) => `${a}*${p}/100`], ['{p}% of ${a}', (a, p) => `${a}*${p}/100`], ['{p}% off ${a}', (a, p) => `${a}*(1-${p}/100)`],
    ['{a} after a {p}% raise', (a, p) => `${a}*(1+${p}/100)`], ['{p}percent of {a}', (a, p) => `${a}*${p}/100`], ['{p} % of {a}', (a, p) => `${a}*${p}/100`]],
  zh: [['{a}的{p}%', (a, p) => `${a}*${p}/100`], ['{a}的百分之{q}', (a, p) => `${a}*${p}/100`], ['{a}元打{k}折', (a, p) => `${a}*${p}/100`],
    ['{a}增加{p}%', (a, p) => `${a}*(1+${p}/100)`], ['{a}减少{p}%', (a, p) => `${a}*(1-${p}/100)`], ['{a}元给{p}%的小费', (a, p) => `${a}*${p}/100`],
    ['{a}涨了百分之{q}', (a, p) => `${a}*(1+${p}/100)`], ['{a}的{p}％', (a, p) => `${a}*${p}/100`], ['{a}打{k}折', (a, p) => `${a}*${p}/100`],
    ['{a}降价{p}%', (a, p) => `${a}*(1-${p}/100)`], ['{a}的百分之{q}', (a, p) => `${a}*${p}/100`], ['{a}元的{p}%', (a, p) => `${a}*${p}/100`],
    ['{a}加上{p}%的税', (a, p) => `${a}*(1+${p}/100)`], ['{a}的{p}%是多少', (a, p) => `${a}*${p}/100`], ['{a}下降百分之{q}', (a, p) => `${a}*(1-${p}/100)`]],
}

const K_DISCOUNT: readonly [string, string][] = [['九', '90'], ['八', '80'], ['七', '70'], ['六', '60'], ['五', '50'], ['八五', '85'], ['九五', '95'], ['七五', '75']]

const percent: Maker = (rng, lang, split) => {
  const [template, make] = pickFor(rng, PERCENT[lang], split)
  const a = operand(rng, lang, 10, 9999, 0.15)
  if (template.includes('{k}')) {
    const [k, p] = rng.pick(K_DISCOUNT)
    return { core: fill(template, { a: a.text, k }), expr: make(a.raw, p), form: 'np' }
  }
  const p = String(rng.pick([5, 10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 50, 60, 75, 8, 3, rng.int(1, 99)]))
  return { core: fill(template, { a: a.text, p, q: chineseNumber(Number(p)) }), expr: make(a.raw, p), form: 'np' }
}

const RATIO: Record<Lang, readonly string[]> = {
  en: ['what percent of {b} is {a}', '{a} is what percent of {b}', 'what percentage of {b} is {a}', '{a} as a percentage of {b}', '{a} out of {b} as a percent'],
  zh: ['{a}占{b}的百分之几', '{a}是{b}的百分之多少', '{a}占{b}的百分比', '{b}里面{a}占多少百分比', '{a}在{b}中占百分之几'],
}

const ratio: Maker = (rng, lang, split) => {
  const b = rng.int(2, 400) * 5
  const a = rng.int(1, b)
  return { core: fill(pickFor(rng, RATIO[lang], split), { a: String(a), b: String(b) }), expr: `${a}/${b}*100`, form: 'np' }
}

/** Unit conversions: factor, English and Chinese phrasing. */
const UNITS: readonly { f: number; en: readonly string[]; zh: readonly string[] }[] = [
  { f: 60, en: ['How many minutes are in {a} hours', '{a} hours in minutes', 'convert {a} hours to minutes'], zh: ['{a}小时是多少分钟', '{a}个小时等于几分钟', '{a}小时换算成分钟'] },
  { f: 3600, en: ['How many seconds are in {a} hours', '{a} hours in seconds', 'convert {a} hours into seconds'], zh: ['{a}小时有多少秒', '{a}个小时是几秒', '{a}小时换算成秒'] },
  { f: 60, en: ['How many seconds are in {a} minutes', '{a} minutes in seconds', 'convert {a} minutes to seconds'], zh: ['{a}分钟是多少秒', '{a}分钟有几秒', '{a}分钟换成秒'] },
  { f: 24, en: ['How many hours are in {a} days', '{a} days in hours', 'convert {a} days to hours'], zh: ['{a}天有多少小时', '{a}天是几个小时', '{a}天等于多少小时'] },
  { f: 1000, en: ['How many meters are in {a} km', '{a} km in meters', 'convert {a} kilometers to meters'], zh: ['{a}公里等于多少米', '{a}千米是多少米', '{a}公里换算成米'] },
  { f: 1000, en: ['How many grams are in {a} kg', '{a} kg in grams', 'convert {a} kilograms to grams'], zh: ['{a}千克是多少克', '{a}公斤等于多少克', '{a}千克换成克'] },
  { f: 100, en: ['How many centimeters are in {a} meters', '{a} m in cm', 'convert {a} meters to centimeters'], zh: ['{a}米是多少厘米', '{a}米等于几厘米', '{a}米换算成厘米'] },
  { f: 1000, en: ['How many milliliters are in {a} liters', '{a} liters in ml', 'convert {a} liters to milliliters'], zh: ['{a}升是多少毫升', '{a}升等于多少毫升', '{a}升换成毫升'] },
  { f: 12, en: ['How many eggs are in {a} dozen', '{a} dozen is how many', 'how many items in {a} dozen'], zh: ['{a}打是多少个', '{a}打鸡蛋有几个', '{a}打一共多少个'] },
  { f: 7, en: ['How many days are in {a} weeks', '{a} weeks in days', 'convert {a} weeks to days'], zh: ['{a}周有多少天', '{a}个星期是几天', '{a}周等于多少天'] },
  { f: 12, en: ['How many months are in {a} years', '{a} years in months', 'convert {a} years to months'], zh: ['{a}年有多少个月', '{a}年是几个月', '{a}年等于多少个月'] },
  { f: 2, en: ['How many halves are in {a}', 'how many half-hour slots are in {a} hours', '{a} hours in half hours'], zh: ['{a}小时有几个半小时', '{a}里有几个二分之一', '{a}个小时是多少个半小时'] },
]

const units: Maker = (rng, lang, split) => {
  const unit = rng.pick(UNITS)
  const template = pickFor(rng, unit[lang], split)
  const a = rng.chance(0.25) ? `${rng.int(1, 20)}.5` : String(rng.int(2, 500))
  const form = lang === 'zh' ? 'q' : template.startsWith('How') ? 'q' : template.startsWith('convert') ? 'imp' : 'np'
  return { core: fill(template, { a }), expr: `${a}*${unit.f}`, form }
}

/** Everyday formulas (averages are in CHAIN): temperatures, distance from speed and time, what a discount saves. */
type Formula = 'temp' | 'rate' | 'save'
const FORMULAS: Record<Lang, readonly [string, Formula, (a: string, b: string) => string, WordProblem['form']][]> = {
  en: [['convert {a} fahrenheit to celsius', 'temp', (a) => `(${a}-32)*5/9`, 'imp'], ['{a}°F in celsius', 'temp', (a) => `(${a}-32)*5/9`, 'np'],
    ['convert {a} celsius to fahrenheit', 'temp', (a) => `${a}*9/5+32`, 'imp'], ['{a} degrees celsius in fahrenheit', 'temp', (a) => `${a}*9/5+32`, 'np'],
    ['A car drives {a} km/h for {b} hours. How far does it go', 'rate', (a, b) => `${a}*${b}`, 'q'],
    ['How far do I get walking {b} hours at {a} km per hour', 'rate', (a, b) => `${a}*${b}`, 'q'],
    ['How much do I save with {b}% off {a} dollars', 'save', (a, b) => `${a}*${b}/100`, 'q'], ['I paid {a} and got {b}% off. How much did I save', 'save', (a, b) => `${a}*${b}/100`, 'q']],
  zh: [['{a}华氏度是多少摄氏度', 'temp', (a) => `(${a}-32)*5/9`, 'q'], ['华氏{a}度换算成摄氏度', 'temp', (a) => `(${a}-32)*5/9`, 'imp'],
    ['{a}摄氏度等于多少华氏度', 'temp', (a) => `${a}*9/5+32`, 'q'], ['{a}℃换算成华氏度', 'temp', (a) => `${a}*9/5+32`, 'imp'],
    ['汽车每小时开{a}公里，开了{b}小时，一共开了多远', 'rate', (a, b) => `${a}*${b}`, 'q'], ['速度是每小时{a}千米，走{b}小时能走多少千米', 'rate', (a, b) => `${a}*${b}`, 'q'],
    ['{a}元的东西打{b}%的折扣，能省多少钱', 'save', (a, b) => `${a}*${b}/100`, 'q'], ['原价{a}元，优惠{b}%，省了多少钱', 'save', (a, b) => `${a}*${b}/100`, 'q']],
}

const formulas: Maker = (rng, lang, split) => {
  const [template, kind, make, form] = pickFor(rng, FORMULAS[lang], split)
  const [a, b] = kind === 'temp' ? [String(rng.int(-20, 400)), '']
    : kind === 'rate' ? [String(rng.int(3, 120)), rng.chance(0.3) ? `${rng.int(1, 9)}.5` : String(rng.int(2, 12))]
    : [String(rng.int(10, 2000)), String(rng.pick([5, 10, 15, 20, 25, 30, 40, 50, rng.int(1, 90)]))]
  return { core: fill(template, { a, b }), expr: make(a, b), form }
}

const CHAIN: Record<Lang, readonly [string, (a: string, b: string, c: string) => string][]> = {
  en: [['{a} times {b} plus {c}', (a, b, c) => `${a}*${b}+${c}`], ['{a} plus {b} times {c}', (a, b, c) => `${a}+${b}*${c}`], ['{a} divided by {b} plus {c}', (a, b, c) => `${a}/${b}+${c}`],
    ['{a} times {b} minus {c}', (a, b, c) => `${a}*${b}-${c}`], ['the average of {a}, {b} and {c}', (a, b, c) => `(${a}+${b}+${c})/3`], ['{a} minus {b} plus {c}', (a, b, c) => `${a}-${b}+${c}`],
    ['({a} + {b}) times {c}', (a, b, c) => `(${a}+${b})*${c}`], ['{a} plus {b} plus {c}', (a, b, c) => `${a}+${b}+${c}`], ['the mean of {a}, {b} and {c}', (a, b, c) => `(${a}+${b}+${c})/3`],
    ['{a} times {b} times {c}', (a, b, c) => `${a}*${b}*${c}`]],
  zh: [['{a}乘{b}再加{c}', (a, b, c) => `${a}*${b}+${c}`], ['{a}加{b}乘{c}', (a, b, c) => `${a}+${b}*${c}`], ['{a}除以{b}再加{c}', (a, b, c) => `${a}/${b}+${c}`],
    ['{a}乘以{b}再减去{c}', (a, b, c) => `${a}*${b}-${c}`], ['{a}、{b}和{c}的平均数', (a, b, c) => `(${a}+${b}+${c})/3`], ['{a}减{b}再加{c}', (a, b, c) => `${a}-${b}+${c}`],
    ['（{a}＋{b}）×{c}', (a, b, c) => `(${a}+${b})*${c}`], ['{a}加{b}加{c}', (a, b, c) => `${a}+${b}+${c}`], ['{a}，{b}，{c}三个数的平均值', (a, b, c) => `(${a}+${b}+${c})/3`],
    ['{a}乘{b}乘{c}', (a, b, c) => `${a}*${b}*${c}`]],
}

const chain: Maker = (rng, lang, split) => {
  const [template, make] = pickFor(rng, CHAIN[lang], split)
  const [a, b, c] = [operand(rng, lang, 2, 99, 0.25), operand(rng, lang, 2, 99, 0.25), operand(rng, lang, 2, 999, 0.2)]
  return { core: fill(template, { a: a.text, b: b.text, c: c.text }), expr: make(a.raw, b.raw, c.raw), form: 'np' }
}

/** Symbols typed with a Chinese IME (full-width) or as `×`/`÷`, the expression in ASCII. */
const symbols: Maker = (rng) => {
  const a = String(rng.int(2, 999))
  const b = String(rng.int(2, 99))
  const c = String(rng.int(2, 99))
  const [shape, expr] = rng.pick([[`${a}×${b}`, `${a}*${b}`], [`${a}÷${b}`, `${a}/${b}`], [`${a}×${b}÷${c}`, `${a}*${b}/${c}`], [`${a}＋${b}×${c}`, `${a}+${b}*${c}`],
    [`（${a}＋${b}）×${c}`, `(${a}+${b})*${c}`], [`${a}－${b}`, `${a}-${b}`], [`${a} × ${b}`, `${a}*${b}`], [`${a} ÷ ${b}`, `${a}/${b}`]] as const)
  const core = rng.chance(0.5) ? fullWidth(shape).replaceAll('＊', '×') : shape
  return { core, expr, form: 'np' }
}

const MAKERS: readonly [Maker, number][] = [[binary, 0.3], [imperative, 0.08], [powers, 0.12], [percent, 0.1], [ratio, 0.04], [units, 0.1], [chain, 0.08], [symbols, 0.1], [formulas, 0.08]]

/** One word problem. */
export function wordProblem(rng: Rng, lang: Lang, split: Split): WordProblem {
  let x = rng.next()
  for (const [make, w] of MAKERS) if ((x -= w) < 0) return make(rng, lang, split)
  return binary(rng, lang, split)
}

const ASK_NP: Record<Lang, readonly string[]> = {
  en: ['What is {c}?', "what's {c}", '{c}?', 'How much is {c}?', 'Calculate {c}', 'Can you work out {c}?', '{c} = ?', 'whats {c}', 'Quick one: {c}?',
    'wat is {c}', 'What is {c} exactly?', 'calculat {c} pls', 'How much is {c}', 'Tell me {c}.', 'what is {c}', 'Hey, what is {c}?', 'compute {c}',
    'What do you get for {c}?', 'Do you know what {c} is?', 'how much is {c}??', '{c}', 'figure out {c}', 'What does {c} come to?', 'whats {c}?', 'What is {c} equal to?'],
  zh: ['{c}等于多少？', '{c}是多少', '{c}等于几？', '帮我算一下{c}', '计算{c}', '{c}＝？', '请问{c}是多少？', '{c}得多少', '{c}等于多少', '算一下{c}',
    '{c}是几', '{c}等于？', '你知道{c}是多少吗？', '{c}', '{c}等于多少呀', '帮忙算算{c}', '{c}的结果是多少', '请计算{c}', '{c}等於多少？', '问一下，{c}是多少？',
    '{c}是多少？', '计算一下 {c}', '{c} 等于多少？', '{c}得几', '算算{c}'],
}
const ASK_IMP: Record<Lang, readonly string[]> = {
  en: ['{C}', 'Please {c}', '{C} for me', 'Can you {c}?', '{C}, please', 'Could you {c}?', '{C} pls', 'I need you to {c}', 'Help me {c}', '{C}.'],
  zh: ['{c}', '请{c}', '帮我{c}', '麻烦{c}', '{c}，谢谢', '你能{c}吗？', '{c}是多少', '{c}等于多少', '帮忙{c}', '{c}吧'],
}

const ASK_Q: Record<Lang, readonly string[]> = {
  en: ['{C}?', '{C}', 'Do you know {l}?', 'Quick question: {l}?', '{l}?', 'Can you tell me {l}?', '{C}??', 'hey, {l}?', '{C}? thanks', 'I wonder {l}.'],
  zh: ['{c}？', '{c}', '请问{c}？', '{c}呀？', '你知道{c}吗？', '{c}？谢谢', '问一下，{c}？', '{c}啊', '想知道{c}', '{c}？？'],
}

const THINK: Record<Lang, readonly string[]> = {
  en: ['The user asks for {e}. I will use the calculator.', 'In symbols this is {e}; I should calculate it.', 'This means {e}, so I will call the calculator.',
    'I need to compute {e} with the calculator.', 'The expression is {e}. Calling the calculator.'],
  zh: ['用户的问题就是计算{e}，我来调用计算器。', '写成算式是{e}，需要用计算器计算。', '这相当于{e}，我应该使用计算器。', '需要用计算器算出{e}。', '算式是{e}，调用计算器。'],
}
const ANSWER: Record<Lang, readonly string[]> = {
  en: ['The answer is {v}.', '{e} = {v}.', "That's {v}.", 'It comes to {v}.', 'The result is {v}.'],
  zh: ['答案是{v}。', '{e}={v}。', '结果是{v}。', '算出来是{v}。', '等于{v}。'],
}

/** A calculator turn asked in words. */
export function calculateWordsTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const p = wordProblem(rng, lang, split)
  const cap = p.core[0]!.toUpperCase() + p.core.slice(1)
  const low = p.core[0]!.toLowerCase() + p.core.slice(1)
  const ask = pickFor(rng, (p.form === 'imp' ? ASK_IMP : p.form === 'q' ? ASK_Q : ASK_NP)[lang], split)
  const e = p.expr
  return {
    kind: 'calculate',
    lang,
    human: decorate(rng, lang, split, fill(ask, { c: p.core, C: cap, l: low })),
    thought: fill(pickFor(rng, THINK[lang], split), { e }),
    calls: [{ command: 'Calculate', input: e }],
    answer: ([v = '']) => fill(pickFor(rng, ANSWER[lang], split), { e, v }),
    requires: ['Calculate'],
  }
}
