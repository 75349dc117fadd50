import { describe, expect, it } from 'vitest'
import { normalizeMathInput } from '../../../../plugins/shared/normalize-math.js'

describe('normalizeMathInput', () => {
  it.each([
    ['３×４÷２', '3*4/2'],
    ['（1+2）×3', '(1+2)*3'],
    ['１２３＋４５６', '123+456'],
    ['2−1', '2-1'],
    ['π×3²', 'pi*3^(2)'],
    ['√2+√(9)', 'sqrt(2)+sqrt(9)'],
    ['3 乘以 4 加 2', '3 * 4 + 2'],
    ['10除以4', '10/4'],
    ['计算：3*4=', '3*4'],
    ['12×12等于多少？', '12*12'],
    ['2**10', '2^10'],
    ['ln(2)', 'log(2)'],
    ['x⁻¹', 'x^(-1)'],
  ])('expression %s → %s', (input, expected) => {
    expect(normalizeMathInput(input)).toBe(expected)
  })

  it.each([
    ['求解 x²－5x＋6＝0', 'x^(2)-5x+6=0'],
    ['（x＋１）²＝４', '(x+1)^(2)=4'],
    ['解方程：x＋y＝500；5x＋8y＝4000', 'x+y=500;5x+8y=4000'],
    ['solve: x+1=2', 'x+1=2'],
    ['x^2≥4', 'x^2>=4'],
  ])('equation %s → %s', (input, expected) => {
    expect(normalizeMathInput(input, 'equation')).toBe(expected)
  })

  it('keeps the equals sign of an equation but drops a trailing one from an expression', () => {
    expect(normalizeMathInput('x=', 'equation')).toBe('x=')
    expect(normalizeMathInput('1+1=')).toBe('1+1')
  })

  it('does not strip an ASCII prefix glued to a word', () => {
    expect(normalizeMathInput('solver(2)')).toBe('solver(2)')
  })
})
