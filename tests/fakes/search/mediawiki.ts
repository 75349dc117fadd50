/**
 * MediaWiki stand-in: `GET /w/api.php?action=query&list=search`; snippets carry `<span class="searchmatch">`.
 * Errors come the way MediaWiki sends them: HTTP 200, a `MediaWiki-API-Error` header holding the error code, and a
 * body `{error: {code, info, docref}}` (the default `bc` error format). A private wiki (`private: true`) refuses
 * every read with `readapidenied`; an unknown `action` gets `badvalue`.
 */
import { escapeHtml, findPages } from './corpus.js'
import { sendJson, startFakeServer } from './fake-server.js'
import type { FakeServer } from './fake-server.js'
import type { ServerResponse } from 'node:http'

/** Wraps every query word found in the text in MediaWiki's match markup. */
function highlight(text: string, query: string): string {
  let html = escapeHtml(text)
  for (const term of query.split(/\s+/).filter((word) => word.length > 2)) {
    html = html.replace(new RegExp(`(${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'gi'), '<span class="searchmatch">$1</span>')
  }
  return html
}

function sendApiError(response: ServerResponse, code: string, info: string): void {
  response.setHeader('MediaWiki-API-Error', code)
  sendJson(response, 200, {
    error: { code, info, docref: 'The API help at /w/api.php lists every module and parameter.' },
    servedby: 'fake-mw-1',
  })
}

export async function startFakeMediaWiki(options: { private?: boolean } = {}): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.path !== '/w/api.php') return sendJson(response, 404, {})
    if (options.private) return sendApiError(response, 'readapidenied', 'This wiki lets only signed-in members read it.')
    const q = request.query
    if (q.get('action') !== 'query' || q.get('list') !== 'search' || q.get('format') !== 'json') {
      return sendApiError(response, 'badvalue', `The action "${q.get('action') ?? ''}" is not one this wiki knows.`)
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
