/** MediaWiki stand-in: `GET /w/api.php?action=query&list=search`; snippets carry `<span class="searchmatch">`. */
import { escapeHtml, findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'

/** Wraps every query word found in the text in MediaWiki's match markup. */
function highlight(text: string, query: string): string {
  let html = escapeHtml(text)
  for (const term of query.split(/\s+/).filter((word) => word.length > 2)) {
    html = html.replace(new RegExp(`(${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'gi'), '<span class="searchmatch">$1</span>')
  }
  return html
}

export async function startFakeMediaWiki(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.path !== '/w/api.php') return sendJson(response, 404, {})
    const q = request.query
    if (q.get('action') !== 'query' || q.get('list') !== 'search' || q.get('format') !== 'json') {
      return sendJson(response, 200, { error: { code: 'badvalue', info: 'Unrecognized request' } })
    }
    const query = q.get('srsearch') ?? ''
    const pages = findPages(query).slice(0, Number(q.get('srlimit') ?? 10))
    sendJson(response, 200, {
      batchcomplete: true,
      continue: { sroffset: pages.length, continue: '-||' },
      query: {
        searchinfo: { totalhits: pages.length },
        search: pages.map((page, i) => ({
          ns: 0,
          title: page.title,
          pageid: 1000 + i,
          size: 5000,
          wordcount: 800,
          snippet: highlight(page.text, query),
          timestamp: '2025-01-01T00:00:00Z',
        })),
      },
    })
  })
}
