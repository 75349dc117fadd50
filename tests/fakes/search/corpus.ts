/** Pages the search fakes pretend to have indexed (English and Chinese). */
export interface FakePage {
  readonly title: string
  readonly url: string
  /** Plain text; fakes wrap it in the markup their real service uses. */
  readonly text: string
}

export const FAKE_PAGES: readonly FakePage[] = [
  {
    title: 'Shanghai',
    url: 'https://example.org/wiki/Shanghai',
    text: 'Shanghai is a direct-administered municipality of China with a population of 24.87 million in 2020.',
  },
  {
    title: '上海市',
    url: 'https://example.org/zh/上海',
    text: '上海市是中华人民共和国直辖市，2020年第七次人口普查常住人口为2487万人。',
  },
  {
    title: 'Mount Everest',
    url: 'https://example.org/wiki/Everest',
    text: "Mount Everest is Earth's highest mountain above sea level, at 8,849 metres.",
  },
  {
    title: 'Python (programming language)',
    url: 'https://example.org/wiki/Python',
    text: 'Python is a high-level, general-purpose programming language & its design emphasises "readability".',
  },
]

/** Pages sharing at least one word (or CJK character) with the query, best first. */
export function findPages(query: string): FakePage[] {
  const terms = query.toLowerCase().match(/[\p{Script=Han}]|[a-z0-9]+/gu) ?? []
  const scored = FAKE_PAGES.map((page) => {
    const haystack = `${page.title} ${page.text}`.toLowerCase()
    return { page, score: terms.filter((term) => haystack.includes(term)).length }
  })
  return scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.page)
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
