import { describe, expect, it } from 'vitest'
import { formatCalculatorValue, pythonFloatRepr } from '../../../../plugins/calculator/format-value.js'

describe('pythonFloatRepr (values as in MOSS training data)', () => {
  it.each([
    [565.4866776461628, '565.4866776461628'],
    [10, '10.0'],
    [22000, '22000.0'],
    [23.400000000000002, '23.400000000000002'],
    [0.5714285714285714, '0.5714285714285714'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e-7, '-2.5e-07'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Number.POSITIVE_INFINITY, 'inf'],
  ])('%s → %s', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected)
  })
})

describe('formatCalculatorValue', () => {
  it('prints Python ints without a point and floats with one', () => {
    expect(formatCalculatorValue({ kind: 'number', value: 36, integral: true })).toBe('36')
    expect(formatCalculatorValue({ kind: 'number', value: 36, integral: false })).toBe('36.0')
    expect(formatCalculatorValue({ kind: 'number', value: -0, integral: true })).toBe('0')
  })
  it('passes exact integers and text through', () => {
    expect(formatCalculatorValue({ kind: 'integer', digits: '1267650600228229401496703205376' })).toBe('1267650600228229401496703205376')
    expect(formatCalculatorValue({ kind: 'text', text: '25 m / s' })).toBe('25 m / s')
  })
})
