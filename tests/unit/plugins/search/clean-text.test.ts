import { describe, expect, it } from 'vitest'
import { cleanSnippet, decodeEntities } from '../../../../plugins/search/clean-text.js'

describe('cleanSnippet', () => {
  it('strips MediaWiki match markup and decodes entities', () => {
    const html = 'The <span class="searchmatch">population</span> of Shanghai is &quot;24.87&nbsp;million&quot; &amp; rising'
    expect(cleanSnippet(html)).toBe('The population of Shanghai is "24.87 million" & rising')
  })

  it('decodes numeric entities, including CJK code points', () => {
    expect(decodeEntities('&#x4E0A;&#28023; &#39;x&#39; &unknown;')).toBe("上海 'x' &unknown;")
  })

  it('drops scripts and styles and collapses whitespace, full-width spaces included', () => {
    const html = '<p>上海\u3000市</p>\n<script>alert(1)</script><style>p{}</style>\t<b>人口</b>'
    expect(cleanSnippet(html)).toBe('上海 市 人口')
  })

  it('does not turn decoded angle brackets back into tags', () => {
    expect(cleanSnippet('a &lt;b&gt; c')).toBe('a <b> c')
  })

  it('caps absurd lengths', () => {
    const snippet = cleanSnippet('word '.repeat(2000), 100)
    expect(snippet).toHaveLength(100)
    expect(snippet.endsWith('…')).toBe(true)
  })
})
