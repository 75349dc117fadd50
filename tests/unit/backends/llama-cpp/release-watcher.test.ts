import { describe, expect, it } from 'vitest'
import { ReleaseWatcher } from '../../../../src/backends/llama-cpp/release-watcher.js'

describe('ReleaseWatcher', () => {
  it('releases once the span text matches, whatever the chunking, and stays released', () => {
    const watcher = new ReleaseWatcher(/^\s*[^\s{]/)
    expect([watcher.push(' '), watcher.push('\n'), watcher.released]).toEqual([false, false, false])
    expect(watcher.push('Hi')).toBe(true)
    expect(watcher.push('{')).toBe(true)
    const call = new ReleaseWatcher(/^\s*[^\s{]/)
    expect(['{"a"', ': 1}'].map((chunk) => call.push(chunk))).toEqual([false, false])
  })

  it('without a pattern it never releases; a global pattern is tested on the whole text each time', () => {
    expect(new ReleaseWatcher(undefined).push('anything')).toBe(false)
    const global = new ReleaseWatcher(/^ab/g)
    expect([global.push('a'), global.push('b')]).toEqual([false, true])
  })
})
