/**
 * BFCL's AST checker, rule for rule (Berkeley Function Calling Leaderboard, `ast_eval/ast_checker.py`, Python
 * categories), written anew over decoded calls:
 * - the call count must match (parallel categories: any order, each expected call matched greedily to the first
 *   unused model call that passes; `multiple`: one call, checked against the expected function);
 * - the function name must be the expected one; every required parameter present; no parameter the function or the
 *   possible answer does not know;
 * - each value passes a type check (`int` accepted for `float`; a value of the possible answers' type is accepted as
 *   a "variable"; array elements checked one level deep) and is among the accepted values: strings after
 *   {@link standardizeString}, lists element by element (string elements standardized), dicts key by key, lists of
 *   dicts position by position, anything else by Python's `==`;
 * - a parameter of the possible answer that the call omits must be optional there (`""` among its values);
 * - `irrelevance`: right when no call is made.
 */
import { pyIn, pyRepr, pyType, type PyType } from './python-values.js'

/** A parameter schema as BFCL writes it (`dict`, `float`, `tuple`, `any` besides JSON Schema's names). */
export interface BfclParam {
  readonly type: string
  readonly description?: string
  readonly items?: BfclParam
  readonly properties?: Readonly<Record<string, BfclParam>>
  readonly required?: readonly string[]
  readonly enum?: readonly unknown[]
  readonly default?: unknown
  readonly [key: string]: unknown
}

/** A function of a BFCL case. */
export interface BfclFunction {
  readonly name: string
  readonly description?: string
  readonly parameters: { readonly type: string; readonly properties: Readonly<Record<string, BfclParam>>; readonly required?: readonly string[] }
}

/** One expected call: `{ functionName: { param: [accepted values…] } }` (`""` = may be omitted). */
export type ExpectedCall = Readonly<Record<string, Readonly<Record<string, readonly unknown[]>>>>

/** A call the model made, decoded: the function's name and its arguments. */
export interface DecodedCall {
  readonly name: string
  readonly arguments: Readonly<Record<string, unknown>>
}

/** The checker's verdict; `errorType` uses BFCL's names (`value_error:string`, …) so failures read the same. */
export interface CheckResult {
  readonly valid: boolean
  readonly error?: string
  readonly errorType?: string
}

const VALID: CheckResult = { valid: true }
const fail = (errorType: string, error: string): CheckResult => ({ valid: false, errorType, error })

/** BFCL's Python type mapping (`tuple` is a list after JSON, `any` is checked as a string). */
const TYPE_OF: Readonly<Record<string, PyType>> = {
  string: 'str',
  integer: 'int',
  float: 'float',
  boolean: 'bool',
  array: 'list',
  tuple: 'list',
  dict: 'dict',
  any: 'str',
}
const NESTED = new Set(['array', 'tuple'])

/**
 * BFCL's string normalisation: spaces and `,./-_*^` removed, lower case, `'` read as `"` — so `April 1, 2024`,
 * `april 1 2024` and `April-1-2024` are the same answer.
 */
export function standardizeString(text: string): string {
  return text.replace(/[ ,./\-_*^]/g, '').toLowerCase().replaceAll("'", '"')
}

const standardized = (value: unknown): unknown => (typeof value === 'string' ? standardizeString(value) : value)

/** The type of the first accepted value that is not `""` (the optional marker), if any. */
function answerType(accepted: readonly unknown[]): PyType | undefined {
  const first = accepted.find((a) => a !== '')
  return first === undefined ? undefined : pyType(first)
}

interface TypeVerdict {
  readonly result: CheckResult
  readonly isVariable: boolean
}

/**
 * Whether a value of type `actual` passes for `expected`: the same type, or an int for a float (BFCL promotes an int
 * where a float is declared; and a JSON `5.0` reads back as the integral number 5).
 */
function sameType(actual: PyType, expected: PyType): boolean {
  return actual === expected || (actual === 'int' && expected === 'float')
}

function typeCheck(param: string, value: unknown, accepted: readonly unknown[], declared: string, expected: PyType, nested: PyType | undefined): TypeVerdict {
  const acceptedType = answerType(accepted)
  const isVariable = acceptedType !== undefined && !sameType(acceptedType, expected)
  if (sameType(pyType(value), expected)) {
    if (nested === undefined) return { result: VALID, isVariable }
    for (const item of accepted) {
      // An accepted value that is not a list (the optional marker) makes any element types acceptable, as in BFCL.
      const ok = !Array.isArray(item) || (value as unknown[]).every((element) => typeCheck(param, element, item, nested, nested, undefined).result.valid)
      if (ok) return { result: VALID, isVariable }
    }
    return { result: fail('type_error:nested', `Nested type check failed for ${pyRepr(param)}: expected ${declared} of ${nested}, got ${pyRepr(value)}.`), isVariable }
  }
  if (acceptedType !== undefined && sameType(pyType(value), acceptedType)) return { result: VALID, isVariable: true }
  return { result: fail('type_error:simple', `Incorrect type for ${pyRepr(param)}: expected ${declared}, got ${pyType(value)} (${pyRepr(value)}).`), isVariable: false }
}

function checkString(param: string, value: string, accepted: readonly unknown[]): CheckResult {
  const options = accepted.filter((a): a is string => typeof a === 'string').map(standardizeString)
  return options.includes(standardizeString(value)) ? VALID : fail('value_error:string', `Invalid value for ${pyRepr(param)}: ${pyRepr(value)}; expected one of ${pyRepr(accepted)} (case-insensitive).`)
}

function checkList(param: string, value: readonly unknown[], accepted: readonly unknown[]): CheckResult {
  const ours = value.map(standardized)
  const options = accepted.map((option) => (Array.isArray(option) ? option.map(standardized) : option))
  return pyIn(ours, options) ? VALID : fail('value_error:list/tuple', `Invalid value for ${pyRepr(param)}: ${pyRepr(value)}; expected one of ${pyRepr(accepted)}.`)
}

function checkDict(value: Readonly<Record<string, unknown>>, accepted: readonly unknown[]): CheckResult {
  let last: CheckResult = fail('dict_checker:unclear', 'No accepted dict.')
  for (const option of accepted) {
    if (option === '' || option === null || typeof option !== 'object') continue
    const expected = option as Readonly<Record<string, readonly unknown[]>>
    last = VALID
    for (const [key, v] of Object.entries(value)) {
      if (!Object.hasOwn(expected, key)) {
        last = fail('value_error:dict_key', `Unexpected dict key ${pyRepr(key)}.`)
        break
      }
      if (!pyIn(standardized(v), (expected[key] ?? []).map(standardized))) {
        last = fail('value_error:dict_value', `Invalid value for dict key ${pyRepr(key)}: ${pyRepr(v)}; expected one of ${pyRepr(expected[key])}.`)
        break
      }
    }
    if (last.valid) {
      const missing = Object.entries(expected).find(([key, values]) => !Object.hasOwn(value, key) && !values.includes(''))
      if (missing) last = fail('value_error:dict_key', `Missing dict key ${pyRepr(missing[0])}.`)
    }
    if (last.valid) return VALID
  }
  return last
}

function checkListOfDicts(value: readonly unknown[], accepted: readonly unknown[]): CheckResult {
  let last: CheckResult = fail('list_dict_checker:unclear', 'No accepted list of dicts.')
  for (const option of accepted) {
    if (!Array.isArray(option) || option.length !== value.length) {
      last = fail('value_error:list_dict_count', 'Wrong number of dictionaries in the list.')
      continue
    }
    last = VALID
    for (let i = 0; i < value.length && last.valid; i++) last = checkDict(value[i] as Record<string, unknown>, [option[i]])
    if (last.valid) return VALID
  }
  return last
}

/** Checks one call against one expected call of `fn` (BFCL's `simple_function_checker`). */
export function checkCall(fn: BfclFunction, call: DecodedCall, expectedCall: ExpectedCall): CheckResult {
  const expected = Object.values(expectedCall)[0] ?? {}
  if (call.name !== fn.name) return fail('simple_function_checker:wrong_func_name', `Function ${pyRepr(fn.name)} not found in the output (got ${pyRepr(call.name)}).`)
  const details = fn.parameters.properties
  const args = call.arguments
  const missing = (fn.parameters.required ?? []).find((p) => !Object.hasOwn(args, p))
  if (missing !== undefined) return fail('simple_function_checker:missing_required', `Missing required parameter ${pyRepr(missing)}.`)
  for (const [param, value] of Object.entries(args)) {
    const detail = details[param]
    const accepted = expected[param]
    if (!Object.hasOwn(details, param) || detail === undefined || accepted === undefined || !Object.hasOwn(expected, param)) {
      return fail('simple_function_checker:unexpected_param', `Unexpected parameter ${pyRepr(param)}.`)
    }
    const declared = detail.type
    const expectedType = TYPE_OF[declared] ?? 'str'
    const nestedType = NESTED.has(declared) && detail.items ? (TYPE_OF[detail.items.type] ?? 'str') : undefined
    const typed = typeCheck(param, value, accepted, declared, expectedType, nestedType)
    if (!typed.result.valid) return typed.result
    let verdict: CheckResult | undefined
    if (!typed.isVariable) {
      if (expectedType === 'dict') verdict = checkDict(value as Record<string, unknown>, accepted)
      else if (expectedType === 'list' && nestedType === 'dict') verdict = checkListOfDicts(value as unknown[], accepted)
      else if (expectedType === 'str') verdict = checkString(param, value as string, accepted)
      else if (expectedType === 'list') verdict = checkList(param, value as unknown[], accepted)
    }
    if (verdict !== undefined) {
      if (!verdict.valid) return verdict
      continue
    }
    if (!pyIn(value, accepted)) return fail('value_error:others', `Invalid value for ${pyRepr(param)}: ${pyRepr(value)}; expected one of ${pyRepr(accepted)}.`)
  }
  const omitted = Object.entries(expected).find(([param, values]) => !Object.hasOwn(args, param) && !values.includes(''))
  if (omitted) return fail('simple_function_checker:missing_optional', `Parameter ${pyRepr(omitted[0])} not provided and not marked optional.`)
  return VALID
}

/** The BFCL categories this checker scores. */
export type BfclCategory = 'simple' | 'multiple' | 'parallel' | 'parallel_multiple' | 'irrelevance'

/** Checks a case's calls as BFCL's `ast_checker` does for `category` (irrelevance: no call). */
export function checkCase(category: BfclCategory, functions: readonly BfclFunction[], calls: readonly DecodedCall[], expected: readonly ExpectedCall[]): CheckResult {
  if (category === 'irrelevance') return calls.length === 0 ? VALID : fail('irrelevance:called', `Made ${calls.length} call(s) where none fits.`)
  if (calls.length !== expected.length) return fail(`${category}:wrong_count`, `Wrong number of calls: ${calls.length}, expected ${expected.length}.`)
  const describe = (call: ExpectedCall): BfclFunction | undefined => {
    const name = Object.keys(call)[0]
    return functions.find((f) => f.name === name) ?? (functions.length === 1 ? functions[0] : undefined)
  }
  if (!category.startsWith('parallel')) {
    const fn = describe(expected[0] as ExpectedCall)
    if (fn === undefined) return fail('checker:unknown_function', 'The expected function is not among the case functions.')
    return checkCall(fn, calls[0] as DecodedCall, expected[0] as ExpectedCall)
  }
  const used = new Set<number>()
  for (const [i, want] of expected.entries()) {
    const fn = describe(want)
    if (fn === undefined) return fail('checker:unknown_function', 'The expected function is not among the case functions.')
    let last: CheckResult = VALID
    const match = calls.findIndex((call, index) => !used.has(index) && (last = checkCall(fn, call, want)).valid)
    if (match < 0) {
      return fail('parallel_function_checker_no_order:cannot_find_match', `No call matches expected call ${i} (${Object.keys(want)[0]}): ${last.error ?? ''}`)
    }
    used.add(match)
  }
  return VALID
}
