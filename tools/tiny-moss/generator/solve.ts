/** Equations for the solver: linear, quadratic and small systems; the equation is copied into `Solve("…")`. */
import { decorate } from './decorate.js'
import { fullWidth } from './numbers.js'
import { fill, pickFor, type Lang, type Rng, type Split } from './rng.js'
import type { TurnSpec } from './types.js'

function coef(rng: Rng, v: string, c: number, first: boolean): string {
  const sign = c < 0 ? '-' : first ? '' : '+'
  const abs = Math.abs(c)
  return `${sign}${abs === 1 ? '' : abs}${v}`
}

function constant(c: number, first: boolean): string {
  if (c === 0) return first ? '0' : ''
  return c < 0 ? `-${-c}` : first ? `${c}` : `+${c}`
}

/** A random equation (or `;`-joined system) and the variables it has. */
export function equation(rng: Rng): { eq: string; shown: string; system: boolean } {
  const v = rng.pick(['x', 'x', 'x', 'y', 'n', 't', 'a'])
  const r = rng.next()
  const nz = (lo: number, hi: number): number => {
    let k = 0
    while (k === 0) k = rng.int(lo, hi)
    return k
  }
  if (r < 0.45) {
    const a = nz(-12, 15)
    const b = rng.int(-50, 50)
    const c = rng.int(-100, 200)
    const eq = `${coef(rng, v, a, true)}${constant(b, false)}=${c}`
    return { eq, shown: eq, system: false }
  }
  if (r < 0.55) {
    const a = nz(2, 9)
    const b = rng.int(1, 60)
    const c = nz(2, 9)
    const eq = `${v}/${a}=(${b}-${v})/${c}`
    return { eq, shown: eq, system: false }
  }
  if (r < 0.8) {
    const p = rng.int(-9, 9)
    const q = rng.int(-9, 9)
    const b = -(p + q)
    const c = p * q
    const eq = `${v}^2${b === 0 ? '' : coef(rng, v, b, false)}${constant(c, false)}=0`
    return { eq, shown: eq, system: false }
  }
  const x = rng.int(-20, 40)
  const y = rng.int(-20, 40)
  const a1 = nz(1, 6)
  const b1 = nz(-6, 6)
  let a2 = nz(-6, 6)
  const b2 = nz(1, 6)
  if (a1 * b2 === a2 * b1) a2 += 1
  const e1 = `${coef(rng, 'x', a1, true)}${coef(rng, 'y', b1, false)}=${a1 * x + b1 * y}`
  const e2 = `${coef(rng, 'x', a2, true)}${coef(rng, 'y', b2, false)}=${a2 * x + b2 * y}`
  return { eq: `${e1};${e2}`, shown: `${e1}${rng.pick([', ', ' and ', '; ', ', '])}${e2}`, system: true }
}

const ASK: Record<Lang, readonly string[]> = {
  en: ['Solve {q}.', 'Solve the equation {q}', 'Find {v} if {q}.', 'What is {v} when {q}?', 'Can you solve {q} for me?',
    'Help me solve {q}.', '{q}, what is {v}?', 'Please solve: {q}', 'How do I solve {q}?', 'Find the solution of {q}.',
    'Solve for {v}: {q}', 'I need the roots of {q}.', 'What value of {v} satisfies {q}?', 'Work out {v} in {q}.',
    'Equation: {q}. Solve it please.', 'Could you find {v} in {q}?', 'Give me the solution to {q}.', 'Solve this: {q}',
    'What are the solutions of {q}?', 'Determine {v} from {q}.', '{q} - solve it.', 'Find all solutions: {q}',
    'My teacher gave me {q}. What is {v}?', 'Use the equation solver on {q}.', 'Can you find {v}? {q}',
    'solve  {q}', 'sovle {q}', 'Find the roots of {q}', 'what is {v} if {q}', 'If {q}, what is {v}?', 'solve {q} pls', 'Find {v}: {q}',
    'What are the roots of {q}?', 'Solve for {v} in {q}', 'slove {q}'],
  zh: ['解方程{q}', '求解{q}', '{q}，求{v}', '请解这个方程：{q}', '{q}，{v}等于多少？', '帮我解一下{q}', '方程{q}的解是什么？',
    '解一下：{q}', '{q}中{v}是多少？', '求方程{q}的根', '请帮我求解方程{q}', '已知{q}，求{v}的值', '这个方程怎么解：{q}',
    '{q}的解是多少', '能帮我解{q}吗？', '用方程求解器解{q}', '求{v}：{q}', '请给出{q}的解', '{q}，求解', '作业题：{q}，求{v}',
    '解下面的方程：{q}', '{q} 求解一下', '帮忙解方程 {q}', '方程 {q} 有几个解？分别是多少？', '请计算方程{q}的解',
    '姐方程{q}', '{q}怎么解？', '求{q}的根', '{q}的解是什么', '解一元一次方程{q}', '解方程 {q}', '求解 {q}', '{q}，{v}是多少', '{q} 的解', '帮我解 {q}'],
}

const ASK_SYSTEM: Record<Lang, readonly string[]> = {
  en: ['Solve the system {q}.', 'Solve {q} for x and y.', 'Find x and y if {q}.', 'What are x and y when {q}?',
    'Help me solve these equations: {q}', 'System of equations: {q}. Solve it.', 'Can you solve {q}?',
    'Give me x and y for {q}.', 'Please solve the simultaneous equations {q}.', 'Find the solution of {q}.'],
  zh: ['解方程组{q}', '求解方程组：{q}', '已知{q}，求x和y', '{q}，x和y各是多少？', '帮我解这个方程组：{q}',
    '请解二元一次方程组{q}', '方程组{q}的解是什么？', '求x、y：{q}', '解一下方程组 {q}', '{q}，求x,y'],
}

const THINK: Record<Lang, readonly string[]> = {
  en: ['This is an equation, so I should use the equation solver.', 'I need to solve {q} with the solver.',
    'The user wants the solution of an equation; calling the solver.', 'I will use the equation solver for this.',
    'Solving equations is what the solver is for.'],
  zh: ['这是一个方程，我需要调用方程求解器。', '需要用求解器解{q}。', '用户想解方程，我来调用方程求解器。',
    '我应该使用方程求解器。', '解方程需要用求解器。'],
}

const ANSWER: Record<Lang, readonly string[]> = {
  en: ['The solution is {r}.', 'Solving gives {r}.', 'The answer: {r}.', '{r}.', 'We get {r}.', 'The equation solver finds {r}.',
    'So {r}.', 'Here is the solution: {r}.'],
  zh: ['方程的解是{r}。', '解得{r}。', '答案是{r}。', '{r}。', '求解结果：{r}。', '经过求解，{r}。', '所以{r}。', '解为{r}。'],
}

const NO_RESULT: Record<Lang, string> = {
  en: 'The solver found no solution for this equation.',
  zh: '求解器没有找到这个方程的解。',
}

/** Joins solver lines (`x = 1`) for an answer. */
export function joinSolution(result: string, lang: Lang): string {
  const lines = result.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  return lines.join(lang === 'en' ? ', ' : '，')
}

/**
 * Writes an equation the way people type it: `spaced` (`x^2 - 5x + 6 = 0`), `unicode` (`x² − 5x + 6 = 0`) or
 * `full` (full-width, as a Chinese IME types it). The solver normalises all three, so the command copies them as typed.
 */
export function restyle(eq: string, style: 'spaced' | 'unicode' | 'full'): string {
  const spaced = eq.replace(/(?<=[\w)])([+\-=])/g, ' $1 ')
  if (style === 'spaced') return spaced
  if (style === 'unicode') return (eq.length % 2 ? spaced : eq).replace(/\^2/g, '²').replace(/\^3/g, '³').replace(/(?<=[\w)²³] ?)-/g, '−')
  return fullWidth(eq)
}

/** A solver turn. */
export function solveTurn(rng: Rng, lang: Lang, split: Split): TurnSpec {
  const plain = equation(rng)
  let { eq, shown } = plain
  const { system } = plain
  if (rng.chance(0.45)) {
    const style = rng.pick(['spaced', 'spaced', 'unicode', lang === 'zh' ? 'full' : 'spaced'] as const)
    const parts = eq.split(';').map((e) => restyle(e, style))
    eq = parts.join(';')
    shown = system ? parts.join(rng.pick([', ', ' and ', '; ', lang === 'zh' ? '，' : ', '])) : parts[0]!
  }
  const v = (/[a-z]/.exec(plain.eq) ?? ['x'])[0]
  const ask = pickFor(rng, (system ? ASK_SYSTEM : ASK)[lang], split)
  const shownText = lang === 'zh' && system ? shown.replace(' and ', '，') : shown
  const answerTemplate = pickFor(rng, ANSWER[lang], split)
  return {
    kind: 'solve',
    lang,
    human: decorate(rng, lang, split, fill(ask, { q: shownText, v })),
    thought: fill(pickFor(rng, THINK[lang], split), { q: eq }),
    calls: [{ command: 'Solve', input: eq }],
    answer: ([r = '']) => (r === '' || r.startsWith('No result') ? NO_RESULT[lang] : fill(answerTemplate, { r: joinSolution(r, lang) })),
    requires: ['Solve'],
  }
}
