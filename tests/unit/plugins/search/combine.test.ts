import { describe, expect, it } from 'vitest'
import { dedupeHits, interleave, snippetKey } from '../../../../plugins/search/combine.js'
import type { SearchHit } from '../../../../plugins/search/types.js'

const hit = (url: string, snippet: string, source = 'a'): SearchHit => ({ title: '', url, snippet, source })

describe('combining hits', () => {
  it('interleaves lists by rank', () => {
    const merged = interleave([
      [hit('u1', 'a1'), hit('u2', 'a2')],
      [hit('v1', 'b1')],
    ])
    expect(merged.map((h) => h.snippet)).toEqual(['a1', 'b1', 'a2'])
  })

  it('removes duplicates by URL (ignoring scheme, trailing slash and fragment) and by normalised snippet', () => {
    const hits = [
      hit('https://example.org/page/', 'First text.'),
      hit('http://example.org/page#section', 'Different text'),
      hit('https://other.org/', 'first   TEXT'),
      hit('', 'ＦＩＲＳＴ text!'),
      hit('https://third.org/', 'Third'),
    ]
    expect(dedupeHits(hits, 3).map((h) => h.snippet)).toEqual(['First text.', 'Third'])
  })

  it('keeps distinct passages of the same local file apart', () => {
    const hits = [hit('file:///docs/a.md#0', 'one'), hit('file:///docs/a.md#1', 'two')]
    expect(dedupeHits(hits, 3)).toHaveLength(2)
  })

  it('stops at the limit', () => {
    expect(dedupeHits([hit('1', 'a'), hit('2', 'b'), hit('3', 'c'), hit('4', 'd')], 3)).toHaveLength(3)
  })

  it('normalises Chinese snippets without losing the characters', () => {
    expect(snippetKey('上海，人口。')).toBe('上海人口')
  })
})
