// Child-side half of the calculator: runs inside an isolation-pool child (heap cap + kill timer), never in the agent.
// Plain JavaScript on purpose: the child has no TypeScript loader, and the file is used as-is from src and dist.
import { all, create } from 'mathjs'

/** Functions an expression could use to escape the sandbox or re-enter the parser: replaced by throwing stubs. */
const DENIED = ['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'compile', 'resolve', 'reviver']

/**
 * Largest factorial argument accepted. A BigNumber `factorial(1e6)` runs for seconds and yields millions of digits
 * nobody can read; refusing it up front gives a clear error instead of a kill.
 */
const MAX_FACTORIAL = 10_000

function restricted(config) {
  const math = create(all, config)
  // Keep private references before the public names are overridden: expressions cannot reach these.
  const saved = { evaluate: math.evaluate, parse: math.parse, format: math.format }
  const factorial = math.factorial
  const stubs = {
    factorial: (n) => {
      if (Number(n) > MAX_FACTORIAL) throw new Error(`factorial argument above ${MAX_FACTORIAL}`)
      return factorial(n)
    },
  }
  for (const name of DENIED) {
    stubs[name] = () => {
      throw new Error(`Function ${name} is disabled`)
    }
  }
  math.import(stubs, { override: true })
  return { math, ...saved }
}

const plain = restricted({})
// Exact integers beyond 2^53 (Python would print them exactly) are re-evaluated with 1000 significant digits. The
// instance is created on first use: building a mathjs instance doubles the child's cold start.
let exactInstance
const exact = () => (exactInstance ??= restricted({ number: 'BigNumber', precision: 1000 }))

/** Functions whose result is an integer when their arguments are (Python int semantics). */
const INT_PRESERVING = new Set(['abs', 'max', 'min', 'sum', 'prod', 'mod', 'gcd', 'lcm', 'factorial', 'sign', 'combinations', 'permutations', 'add', 'subtract', 'multiply'])
/** Functions returning a Python int whatever their argument (`round(2.5)`, `floor(2.5)`). */
const ALWAYS_INT = new Set(['floor', 'ceil', 'fix'])
const INT_OPERATORS = new Set(['add', 'subtract', 'multiply', 'unaryMinus', 'unaryPlus', 'pow', 'mod'])
/** Decimal or exponent literals make Python compute in floats. */
const FLOAT_LITERAL = /(^|[^\w.])(\d+\.\d*|\.\d+|\d+[eE][+-]?\d+)/

/** Would Python compute this expression in ints? (`60/6` → `10.0`, `12*3` → `36`, `sqrt(100)` → `10.0`.) */
function integral(node, vars) {
  switch (node.type) {
    case 'ConstantNode':
      return typeof node.value === 'number' && Number.isInteger(node.value)
    case 'SymbolNode':
      return vars.get(node.name) === true
    case 'ParenthesisNode':
      return integral(node.content, vars)
    case 'OperatorNode':
      if (!INT_OPERATORS.has(node.fn)) return false
      if (node.fn === 'pow' && node.args[1]?.type === 'OperatorNode' && node.args[1].fn === 'unaryMinus') return false
      return node.args.every((arg) => integral(arg, vars))
    case 'FunctionNode': {
      const name = node.fn?.name
      if (ALWAYS_INT.has(name) || (name === 'round' && node.args.length === 1)) return true
      return INT_PRESERVING.has(name) && node.args.every((arg) => integral(arg, vars))
    }
    case 'AssignmentNode': {
      const value = integral(node.value, vars)
      if (node.object?.type === 'SymbolNode' && !node.index) vars.set(node.object.name, value)
      return value
    }
    case 'BlockNode': {
      let last = false
      for (const block of node.blocks) last = integral(block.node, vars)
      return last
    }
    case 'ConditionalNode':
      return integral(node.trueExpr, vars) && integral(node.falseExpr, vars)
    default:
      return false
  }
}

function lastValue(value) {
  if (value && typeof value === 'object' && value.type === 'ResultSet') {
    if (value.entries.length === 0) throw new Error('the expression has no value')
    return value.entries[value.entries.length - 1]
  }
  return value
}

function exactInteger(expression) {
  try {
    const value = lastValue(exact().evaluate(expression))
    if (value && value.isBigNumber === true && value.isInteger() && value.e < 1000) return value.toFixed(0)
  } catch {
    // fall back to the double result
  }
  return undefined
}

function describe(value) {
  if (typeof value === 'function') return 'a function, not a value'
  if (value === undefined || value === null) return 'no value'
  return typeof value
}

/** Handlers run by the isolation pool. */
export const handlers = {
  /**
   * Evaluates one expression. Returns `{kind:'number', value, integral}`, `{kind:'integer', digits}` or
   * `{kind:'text', text}`; throws (→ `No calculation results.`) for errors and values that are not results.
   */
  evaluate(expression) {
    if (typeof expression !== 'string' || expression.trim() === '') throw new Error('empty expression')
    const isIntegral = !FLOAT_LITERAL.test(expression) && integral(plain.parse(expression), new Map())
    const value = lastValue(plain.evaluate(expression))
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`the result is ${value}`)
      if (isIntegral && Number.isInteger(value) && !Number.isSafeInteger(value)) {
        const digits = exactInteger(expression)
        if (digits !== undefined) return { kind: 'integer', digits }
      }
      return { kind: 'number', value, integral: isIntegral && Number.isInteger(value) }
    }
    if (typeof value === 'boolean') return { kind: 'text', text: value ? 'True' : 'False' }
    if (typeof value === 'string') return { kind: 'text', text: value }
    if (value && typeof value === 'object') {
      if (value.isBigNumber === true) {
        if (!value.isFinite()) throw new Error(`the result is ${value.toString()}`)
        if (value.isInteger() && value.e < 1000) return { kind: 'integer', digits: value.toFixed(0) }
        return { kind: 'text', text: value.toString() }
      }
      if (value.isFraction === true || value.isUnit === true || value.isComplex === true || value.isMatrix === true || Array.isArray(value)) {
        return { kind: 'text', text: plain.format(value, { precision: 14 }) }
      }
    }
    throw new Error(`the expression evaluates to ${describe(value)}`)
  },
}
