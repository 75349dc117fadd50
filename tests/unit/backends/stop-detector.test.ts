import { describe, expect, it } from 'vitest'
import { StopDetector } from '../../../src/backends/stop-detector.js'

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
    expect(detector.push('Calc("1")<eoc>\n<|Results|>:')).toEqual({ text: 'Calc("1")', stop: '<eoc>', overflow: '\n<|Results|>:' })
    expect(detector.push('more')).toEqual({ text: '' })
  })

  it('holds back a partial marker across chunks and reports what ran past the whole one', () => {
    const d = new StopDetector(['<eoc>', '<eom>'])
    expect(d.push('Calc <e')).toEqual({ text: 'Calc ' })
    expect(d.push('o')).toEqual({ text: '' })
    expect(d.push('c> tail')).toEqual({ text: '', stop: '<eoc>', overflow: ' tail' })
    expect(d.stopped).toBe('<eoc>')
  })

  it('reports an empty overflow when the marker ends the chunk', () => {
    expect(new StopDetector(['<eoc>']).push('x<eoc>')).toEqual({ text: 'x', stop: '<eoc>', overflow: '' })
  })

  it('holds back again after releasing text that was not a marker', () => {
    const d = new StopDetector(['<eoc>'])
    expect(d.push('a <e')).toEqual({ text: 'a ' })
    expect(d.push('x')).toEqual({ text: '<ex' })
    expect(d.push('<')).toEqual({ text: '' })
    expect(d.held).toBe('<')
    expect(d.flush()).toBe('<')
  })

  it('handles full-width and CJK markers', () => {
    const d = new StopDetector(['。结束'])
    expect(d.push('你好。结')).toEqual({ text: '你好' })
    expect(d.push('束')).toMatchObject({ text: '', stop: '。结束' })
  })

  it('prefers the longer marker when two start at the same index, and ignores empty markers', () => {
    expect(new StopDetector(['', '<eo', '<eom>']).push('a<eom>')).toEqual({ text: 'a', stop: '<eom>', overflow: '' })
  })
})
