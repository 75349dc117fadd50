import { describe, expect, it } from 'vitest'
import { earliestMarker, heldTailLength, partialMarkerLength } from '../../../src/util/partial-marker.js'

describe('the partial-marker primitive', () => {
  const markers = ['<|eot_id|>', '<|eom_id|>', '<|eot', '</tool_call>']

  it('the longer of two markers at the same index wins, whatever their order', () => {
    expect(earliestMarker('a<|eot_id|>b', markers)).toEqual({ index: 1, marker: '<|eot_id|>' })
    expect(earliestMarker('a<|eot_id|>b', [...markers].reverse())).toEqual({ index: 1, marker: '<|eot_id|>' })
    expect(earliestMarker('x</tool_call><|eot', markers)).toEqual({ index: 1, marker: '</tool_call>' })
    expect(earliestMarker('plain', markers)).toBeUndefined()
  })

  it('holds the longest tail that could still become a marker', () => {
    expect(partialMarkerLength('hi <|eo', markers)).toBe(4)
    expect(partialMarkerLength('hi <|eot_i', markers)).toBe(7)
    expect(partialMarkerLength('hi </tool_cal', markers)).toBe(10)
    expect(partialMarkerLength('a < b', markers)).toBe(0)
    expect(partialMarkerLength('<', markers)).toBe(1)
  })

  it('also holds half a character: a lone high surrogate or U+FFFD before the partial marker', () => {
    expect(heldTailLength('ok\uD83D', markers)).toBe(1)
    expect(heldTailLength('ok\uFFFD', markers)).toBe(1)
    expect(heldTailLength('ok\uFFFD<|e', markers)).toBe(4)
    expect(heldTailLength('完了', markers)).toBe(0)
  })
})
