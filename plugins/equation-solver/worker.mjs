// Child-side half of the equation solver: nerdamer-prime for exact roots, mathjs for checking every root by
// substitution and for a numeric fallback. Runs inside an isolation-pool child (nerdamer can hang on inputs such as
// `x^1000000=2`; only killing the process stops it). Plain JavaScript: the child has no TypeScript loader.
import { all, create } from 'mathjs'
import nerdamer from 'nerdamer-prime'

const math = create(all)
const parse = math.parse
// Same sandbox as the calculator: nothing in an equation may reach the parser again.
math.import(
  Object.fromEntries(
    ['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'compile', 'resolve', 'reviver'].map((name) => [
      name,
      () => {
        throw new Error(`Function ${name} is disabled`)
      },
    ]),
  ),
  { override: true },
)

/** Highest integer power of an unknown accepted (nerdamer hangs or throws far above it). */
const MAX_DEGREE = 64
/** Most unknowns / equations in one request. */
const MAX_UNKNOWNS = 6
/** Residual accepted when a root is substituted back: |lhs − rhs| ≤ TOLERANCE · max(1, |lhs|, |rhs|). */
const TOLERANCE = 1e-9
/** Numeric fallback: real interval sampled for sign changes, and the number of samples. */
const SAMPLE_FROM = -100
const SAMPLE_TO = 100
const SAMPLES = 4000
/** More numeric roots than this means a periodic or degenerate equation: not listed. */
const MAX_ROOTS = 12
/** Denominators at least this large mark nerdamer's rational approximations of irrational roots. */
const APPROXIMATION_DENOMINATOR = 1e6
/** Longest exact form shown; longer ones (nested cube roots) are shown as decimals. */
const MAX_EXACT_CHARS = 40

const COMPARISONS = ['<', '>', '!=', '≠', '≤', '≥']
/**
 * Inputs that make MOSS's original solver answer in 15-digit floats: a decimal literal, or a division of two number
 * literals (`2/5*x`, `180/1`), which its pipeline evaluated as Python floats. `x/4=(120-x)/5` stays exact (`160/3`).
 */
const FLOAT_INPUT = [/(^|[^\w.])(\d+\.\d*|\.\d+)/, /(^|[^\w.])\d+\s*\/\s*\d/]
/** Names allowed in an exact form; anything else (`cos(120)`, `log(3)`) is shown as a decimal. */
const EXACT_NAMES = new Set(['sqrt', 'i', 'pi'])
const POWER = /[A-Za-z_)\]]\s*\^\s*\(?\s*(\d+)/g

class Refusal extends Error {
  constructor(message) {
    super(message)
    this.name = 'Refusal'
  }
}

/** Splits on `;` and on commas outside parentheses. */
function splitTopLevel(text) {
  const parts = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (char === '(' || char === '[') depth++
    if (char === ')' || char === ']') depth--
    if (char === ';' || (char === ',' && depth === 0)) {
      parts.push(current)
      current = ''
    } else current += char
  }
  parts.push(current)
  return parts.map((part) => part.trim()).filter(Boolean)
}

function symbolsOf(node) {
  const names = new Set()
  node.traverse((child, path, parent) => {
    if (child.type !== 'SymbolNode') return
    if (parent && parent.type === 'FunctionNode' && path === 'fn') return
    if (child.name in math) return // pi, e, i, sin, …
    names.add(child.name)
  })
  return names
}

function readEquations(text) {
  if (COMPARISONS.some((sign) => text.includes(sign))) throw new Refusal('inequalities are not supported')
  for (const match of text.matchAll(POWER)) {
    if (Number(match[1]) > MAX_DEGREE) throw new Refusal(`degree ${match[1]} exceeds the limit of ${MAX_DEGREE}`)
  }
  const pieces = splitTopLevel(text.replace(/==/g, '='))
  if (pieces.length === 0) throw new Refusal('empty input')
  const anyEquation = pieces.some((piece) => piece.includes('='))
  const equations = []
  const wanted = []
  for (const piece of pieces) {
    const sides = piece.split('=')
    if (sides.length > 2) throw new Refusal(`"${piece}" has more than one "="`)
    if (sides.length === 1) {
      if (!anyEquation) sides.push('0')
      else {
        // `…; x` names the unknown; any other bare expression is a note, not an equation.
        if (/^[A-Za-z_]\w*(\s+[A-Za-z_]\w*)*$/.test(piece)) wanted.push(...piece.split(/\s+/))
        continue
      }
    }
    const [lhsText = '', rhsText = ''] = sides
    if (!lhsText.trim() || !rhsText.trim()) throw new Refusal(`"${piece}" is not an equation`)
    const lhs = parse(lhsText)
    const rhs = parse(rhsText)
    const explicit = { implicit: 'show' }
    equations.push({ lhs, rhs, text: `${lhs.toString(explicit)}=${rhs.toString(explicit)}`, f: `(${lhs.toString(explicit)})-(${rhs.toString(explicit)})` })
  }
  const unknowns = new Set()
  for (const equation of equations) for (const name of [...symbolsOf(equation.lhs), ...symbolsOf(equation.rhs)]) unknowns.add(name)
  return { equations, unknowns: [...unknowns].sort(), wanted }
}

function toComplex(value) {
  if (typeof value === 'number') return { re: value, im: 0 }
  if (value && value.isComplex === true) return { re: value.re, im: value.im }
  if (value && value.isBigNumber === true) return { re: value.toNumber(), im: 0 }
  if (value && value.isFraction === true) return { re: Number(value), im: 0 }
  return { re: Number.NaN, im: Number.NaN }
}

const abs = (z) => Math.hypot(z.re, z.im)

function evaluateNode(compiled, scope) {
  try {
    return toComplex(compiled.evaluate({ ...scope }))
  } catch {
    return { re: Number.NaN, im: Number.NaN }
  }
}

/** Does every equation hold at `point` (values as mathjs numbers/complex)? */
function holds(equations, point) {
  return equations.every((equation) => {
    const lhs = evaluateNode(equation.lhsCompiled, point)
    const rhs = evaluateNode(equation.rhsCompiled, point)
    const residual = abs({ re: lhs.re - rhs.re, im: lhs.im - rhs.im })
    return Number.isFinite(residual) && residual <= TOLERANCE * Math.max(1, abs(lhs), abs(rhs))
  })
}

/** Numeric value of an exact nerdamer form, through mathjs so that the check uses the same semantics. */
function numericValue(exact) {
  try {
    return toComplex(math.evaluate !== undefined ? parse(exact.replace(/\*\*/g, '^')).evaluate() : undefined)
  } catch {
    return undefined
  }
}

function toMath(z) {
  return Math.abs(z.im) <= 1e-12 * Math.max(1, Math.abs(z.re)) ? z.re : math.complex(z.re, z.im)
}

function elementsOf(result) {
  const elements = result && result.symbol && Array.isArray(result.symbol.elements) ? result.symbol.elements : []
  return elements.map((element) => element.toString())
}

/** Exact candidates for one unknown: nerdamer's roots that mention no other unknown of the list. */
function exactRoots(equationText, unknown) {
  try {
    return elementsOf(nerdamer.solve(equationText, unknown))
  } catch {
    return []
  }
}

/** Real roots of f(x) = lhs − rhs by sampling sign changes and bisecting. */
function numericRoots(equation, unknown) {
  const f = (x) => {
    const lhs = evaluateNode(equation.lhsCompiled, { [unknown]: x })
    const rhs = evaluateNode(equation.rhsCompiled, { [unknown]: x })
    if (Math.abs(lhs.im) > 1e-12 || Math.abs(rhs.im) > 1e-12) return Number.NaN
    return lhs.re - rhs.re
  }
  const roots = []
  const step = (SAMPLE_TO - SAMPLE_FROM) / SAMPLES
  let a = SAMPLE_FROM
  let fa = f(a)
  for (let k = 1; k <= SAMPLES; k++) {
    const b = SAMPLE_FROM + k * step
    const fb = f(b)
    if (fa === 0) roots.push(a)
    else if (Number.isFinite(fa) && Number.isFinite(fb) && fa * fb < 0) {
      let lo = a
      let hi = b
      let flo = fa
      for (let i = 0; i < 200 && hi - lo > 0; i++) {
        const mid = (lo + hi) / 2
        if (mid === lo || mid === hi) break
        const fm = f(mid)
        if (fm === 0) {
          lo = hi = mid
          break
        }
        if (flo * fm < 0) hi = mid
        else {
          lo = mid
          flo = fm
        }
      }
      roots.push(Math.abs(f(lo)) <= Math.abs(f(hi)) ? lo : hi)
    }
    a = b
    fa = fb
    if (roots.length > MAX_ROOTS) break
  }
  return roots
}

function isApproximation(exact) {
  const denominators = [...exact.matchAll(/\/\s*\(?\s*(\d+)/g)].map((match) => Number(match[1]))
  const names = exact.match(/[A-Za-z_]\w*/g) ?? []
  return denominators.some((d) => d >= APPROXIMATION_DENOMINATOR) || /\d\.\d/.test(exact) || names.some((name) => !EXACT_NAMES.has(name))
}

/** Solves one equation in one unknown; returns solutions `{ [unknown]: { exact?, value } }`. */
function solveSingle(equation, unknown) {
  const solutions = []
  const add = (exact, value) => {
    if (!value || !Number.isFinite(value.re) || !Number.isFinite(value.im)) return
    if (!holds([equation], { [unknown]: toMath(value) })) return
    const twin = solutions.find((s) => abs({ re: s[unknown].value.re - value.re, im: s[unknown].value.im - value.im }) <= 1e-7 * Math.max(1, abs(value)))
    if (!twin) {
      solutions.push({ [unknown]: { exact, value } })
      return
    }
    // nerdamer gives irrational roots as close rationals; a bisected root is exact to the last bit, so keep its value.
    const kept = twin[unknown]
    if (exact === undefined && kept.exact !== undefined && isApproximation(kept.exact)) twin[unknown] = { exact: undefined, value }
  }
  for (const exact of exactRoots(equation.text, unknown)) add(exact, numericValue(exact))
  const exactCount = solutions.length
  const numeric = numericRoots(equation, unknown)
  if (numeric.length > MAX_ROOTS || exactCount > MAX_ROOTS) throw new Refusal('too many solutions (periodic equation?)')
  for (const root of numeric) add(undefined, { re: root, im: 0 })
  return solutions
}

/** Substitutes exact values into an expression string with nerdamer. */
function substitute(expression, assignment) {
  return nerdamer(expression, assignment).toString()
}

/** Solves a system by elimination: solve one equation for one unknown, substitute, recurse. */
function eliminate(fs, unknowns, depth = 0) {
  if (unknowns.length === 0) {
    return fs.every((f) => {
      const value = numericValue(f)
      return value !== undefined && abs(value) <= TOLERANCE
    })
      ? [{}]
      : []
  }
  if (fs.length === 0) throw new Refusal('more unknowns than independent equations')
  const ordered = [...fs].sort((a, b) => a.length - b.length)
  for (const f of ordered) {
    for (const unknown of unknowns) {
      if (!new RegExp(`(^|[^\\w])${unknown}([^\\w]|$)`).test(f)) continue
      const others = unknowns.filter((name) => name !== unknown)
      const roots = exactRoots(`${f}=0`, unknown).filter((root) => !new RegExp(`(^|[^\\w])${unknown}([^\\w]|$)`).test(root))
      if (roots.length === 0) continue
      const results = []
      for (const root of roots) {
        const rest = fs.filter((g) => g !== f).map((g) => substitute(g, { [unknown]: root }))
        for (const partial of eliminate(rest, others, depth + 1)) {
          results.push({ ...partial, [unknown]: Object.keys(partial).length ? substitute(root, partial) : root })
        }
      }
      return results
    }
  }
  throw new Refusal('could not eliminate the unknowns')
}

function solveSystem(equations, unknowns) {
  const solutions = []
  for (const assignment of eliminate(equations.map((e) => e.f), unknowns)) {
    const solution = {}
    const point = {}
    for (const name of unknowns) {
      const exact = assignment[name]
      const value = exact === undefined ? undefined : numericValue(exact)
      if (!value) break
      solution[name] = { exact, value }
      point[name] = toMath(value)
    }
    if (Object.keys(point).length !== unknowns.length || !holds(equations, point)) continue
    const same = (s) => unknowns.every((name) => abs({ re: s[name].value.re - solution[name].value.re, im: s[name].value.im - solution[name].value.im }) <= 1e-7 * Math.max(1, abs(solution[name].value)))
    if (!solutions.some(same)) solutions.push(solution)
  }
  return solutions
}

/** Sympy-style Float with 15 significant digits (`550.000000000000`, `-3.80000000000000`, `1.00000000000000e+20`). */
function sympyFloat(value) {
  if (value === 0) return '0'
  const [mantissa = '0', exponentText = '0'] = value.toExponential(14).split('e')
  const exponent = Number(exponentText)
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  let text
  if (exponent > -5 && exponent < 15) {
    if (exponent >= 0) text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
    else text = `0.${'0'.repeat(-exponent - 1)}${digits}`
  } else text = `${digits[0]}.${digits.slice(1)}e${exponent > 0 ? '+' : ''}${exponent}`
  return negative ? `-${text}` : text
}

function display(entry, decimals) {
  const { exact, value } = entry
  const real = Math.abs(value.im) <= 1e-12 * Math.max(1, Math.abs(value.re))
  const useExact = exact !== undefined && !decimals && exact.length <= MAX_EXACT_CHARS && !isApproximation(exact)
  if (useExact) return exact
  if (real) return sympyFloat(value.re)
  const sign = value.im < 0 ? '-' : '+'
  return `${sympyFloat(value.re)} ${sign} ${sympyFloat(Math.abs(value.im))}*i`
}

function order(unknowns) {
  return (a, b) => {
    for (const name of unknowns) {
      const x = a[name].value
      const y = b[name].value
      const xr = Math.abs(x.im) < 1e-12 ? 0 : 1
      const yr = Math.abs(y.im) < 1e-12 ? 0 : 1
      if (xr !== yr) return xr - yr
      if (x.re !== y.re) return x.re - y.re
      if (x.im !== y.im) return x.im - y.im
    }
    return 0
  }
}

function looksConstant(equations, unknowns) {
  const probes = [0.37, -1.3, 2.9, 11.1, -7.7]
  const residuals = probes.map((probe, k) => {
    const point = Object.fromEntries(unknowns.map((name, j) => [name, probes[(k + j) % probes.length] + j * 0.11]))
    return equations.map((equation) => {
      const lhs = evaluateNode(equation.lhsCompiled, point)
      const rhs = evaluateNode(equation.rhsCompiled, point)
      return { re: lhs.re - rhs.re, im: lhs.im - rhs.im }
    })
  })
  const first = residuals[0]
  return equations.map((_, i) => residuals.every((row) => abs({ re: row[i].re - first[i].re, im: row[i].im - first[i].im }) <= 1e-12) ? first[i] : undefined)
}

/** Handlers run by the isolation pool. */
export const handlers = {
  /** Solves an equation or a `;`/`,`-separated system; returns the result lines or throws why not. */
  solve(text) {
    try {
      if (typeof text !== 'string' || !text.trim()) throw new Refusal('empty input')
      const { equations, unknowns: found, wanted } = readEquations(text)
      if (equations.length === 0) throw new Refusal('no equation found')
      for (const equation of equations) {
        equation.lhsCompiled = equation.lhs.compile()
        equation.rhsCompiled = equation.rhs.compile()
      }
      const constant = looksConstant(equations, found)
      constant.forEach((residual, i) => {
        if (!residual) return
        if (abs(residual) <= TOLERANCE) throw new Refusal(`"${equations[i].text}" holds for every value (identity)`)
        throw new Refusal(`"${equations[i].text}" has no solution (contradiction)`)
      })
      if (found.length === 0) throw new Refusal('no unknown to solve for')
      if (found.length > MAX_UNKNOWNS) throw new Refusal(`more than ${MAX_UNKNOWNS} unknowns`)
      if (wanted.some((name) => !found.includes(name))) throw new Refusal(`unknown ${wanted.find((name) => !found.includes(name))} does not occur`)
      if (found.length > equations.length) throw new Refusal(`${found.length} unknowns but ${equations.length} equation(s)`)
      const solutions = equations.length === 1 ? solveSingle(equations[0], found[0]) : solveSystem(equations, found)
      if (solutions.length === 0) throw new Refusal('no solution found')
      solutions.sort(order(found))
      const decimals = FLOAT_INPUT.some((pattern) => pattern.test(text))
      const lines = []
      solutions.forEach((solution, index) => {
        for (const name of found) {
          const label = solutions.length === 1 ? name : `${name}_${index}`
          lines.push(`${label} = ${display(solution[name], decimals)}`)
        }
      })
      return lines
    } finally {
      // nerdamer keeps expressions and variables globally between calls.
      nerdamer.flush()
      nerdamer.clearVars()
    }
  },
}
