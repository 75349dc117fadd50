import { describe, expect, it } from 'vitest'
import { StopDetector } from '../../../../src/backends/stop-detector.js'

const MARKERS = ['<eoc>', '<eom>', '<eot>', '<eor>']

function feed(pieces: readonly string[], stops = MARKERS): { shown: string[]; stop: string | undefined; tail: string } {
  const detector = new StopDetector(stops)
  const shown: string[] = []
  for (const piece of pieces) {
    const scan = detector.push(piece)
    if (scan.text) shown.push(scan.text)
    if (scan.stop !== undefined) return { shown, stop: scan.stop, tail: '' }
  }
  return { shown, stop: undefined, tail: detector.flush() }
}

describe('StopDetector', () => {
  it('finds a marker split over many pieces and never shows a partial marker', () => {
    const result = feed(['答案是', '4', '<', 'e', 'o', 'm', '>', 'after'])
    expect(result.shown.join('')).toBe('答案是4')
    expect(result.stop).toBe('<eom>')
    for (const text of result.shown) expect(text).not.toMatch(/<e?o?\w?$/)
  })

  it('finds the marker at every split position of the same text', () => {
    const text = 'x = 1 <eo <eoc> tail'
    for (let cut = 0; cut <= text.length; cut++) {
      const result = feed([text.slice(0, cut), text.slice(cut)])
      expect(result.shown.join('')).toBe('x = 1 <eo ')
      expect(result.stop).toBe('<eoc>')
    }
  })

  it('releases held text that turned out not to be a marker', () => {
    expect(feed(['a <', 'b']).shown.join('')).toBe('a <b')
    const ending = feed(['value <eo'])
    expect(ending.shown.join('')).toBe('value ')
    expect(ending.tail).toBe('<eo')
  })

  it('picks the earliest marker when two appear in one piece, and ignores input after a stop', () => {
    const detector = new StopDetector(['<|Results|>:', '<eoc>'])
    expect(detector.push('Calc("1")<eoc>\n<|Results|>:')).toEqual({ text: 'Calc("1")', stop: '<eoc>' })
    expect(detector.push('more')).toEqual({ text: '' })
  })
})
