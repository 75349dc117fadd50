/**
 * Python's view of JSON values, as BFCL's checker sees a decoded call: the type name of a value (`int`, `float`,
 * `str`, `bool`, `list`, `dict`, `NoneType`) and Python's `==` (where `1 == 1.0 == True` and lists and dicts compare
 * element by element). A JSON number reads as `int` when it is integral: once parsed, `5.0` and `5` are the same
 * number in JavaScript, so a float written with a zero fraction counts as an int (the only place where this scorer
 * can be more lenient than BFCL's Python checker).
 */

/** The Python type name of a JSON value. */
export type PyType = 'int' | 'float' | 'str' | 'bool' | 'list' | 'dict' | 'NoneType'

/** The Python type of `value`. */
export function pyType(value: unknown): PyType {
  if (value === null || value === undefined) return 'NoneType'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'string') return 'str'
  if (Array.isArray(value)) return 'list'
  return 'dict'
}

function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean'
}

/** Python's `a == b` over JSON values. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b)
  if (typeof a === 'string' || typeof b === 'string') return a === b
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEquals(item, b[i]))
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return false
}

/** Python's `value in list`. */
export function pyIn(value: unknown, list: readonly unknown[]): boolean {
  return list.some((item) => pyEquals(value, item))
}

/** A short Python-like rendering of a value, for error messages. */
export function pyRepr(value: unknown): string {
  return JSON.stringify(value) ?? 'None'
}
