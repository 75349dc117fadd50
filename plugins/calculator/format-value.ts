/**
 * Renders calculator values the way MOSS's training data shows them: Python's `repr` of the result. Python keeps ints
 * exact (`12*3` → `36`) and prints floats with the shortest round-trip digits, always with a point or an exponent
 * (`60/6` → `10.0`, `pi*3^2*20` → `565.4866776461628`, `1e16` → `1e+16`).
 */

/** What the calculator's child returns on success. */
export type CalculatorValue =
  | { readonly kind: 'number'; readonly value: number; readonly integral: boolean }
  | { readonly kind: 'integer'; readonly digits: string }
  | { readonly kind: 'text'; readonly text: string }

/** Python's `repr(float)`: scientific when the decimal exponent is below -4 or at least 16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  // In this range JavaScript prints the same shortest digits in fixed notation; Python adds `.0` to whole numbers.
  const fixed = String(value)
  return fixed.includes('.') ? fixed : `${fixed}.0`
}

/** Formats a child result as the text the model sees. */
export function formatCalculatorValue(result: CalculatorValue): string {
  switch (result.kind) {
    case 'integer':
      return result.digits
    case 'text':
      return result.text
    case 'number':
      if (result.integral && Number.isSafeInteger(result.value)) return String(result.value === 0 ? 0 : result.value)
      return pythonFloatRepr(result.value)
  }
}
