/** Runs several backends at once and merges their hits: interleaved by rank, duplicates removed. */
import type { SearchBackend, SearchHit } from './types.js'

/** Key under which two snippets count as the same text: NFKC, lower case, letters and digits only. */
export function snippetKey(snippet: string): string {
  return snippet
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
}

/** URL key: scheme-less, without a trailing slash or fragment, lower-case host. */
function urlKey(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.protocol === 'file:') return parsed.href // file fragments tell passages apart
    return `${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`
  } catch {
    return url
  }
}

/** Keeps the first of hits that share a URL or a snippet, then cuts to `limit`. */
export function dedupeHits(hits: readonly SearchHit[], limit: number): SearchHit[] {
  const urls = new Set<string>()
  const snippets = new Set<string>()
  const kept: SearchHit[] = []
  for (const hit of hits) {
    const byUrl = hit.url ? urlKey(hit.url) : ''
    const bySnippet = snippetKey(hit.snippet)
    if (!bySnippet || (byUrl && urls.has(byUrl)) || snippets.has(bySnippet)) continue
    if (byUrl) urls.add(byUrl)
    snippets.add(bySnippet)
    kept.push(hit)
    if (kept.length >= limit) break
  }
  return kept
}

/** Round-robin over the lists: every backend's best hit comes before anyone's second. */
export function interleave(lists: readonly (readonly SearchHit[])[]): SearchHit[] {
  const merged: SearchHit[] = []
  const longest = Math.max(0, ...lists.map((list) => list.length))
  for (let rank = 0; rank < longest; rank++) {
    for (const list of lists) {
      const hit = list[rank]
      if (hit) merged.push(hit)
    }
  }
  return merged
}

/** Outcome of querying several backends. */
export interface CombinedResult {
  /** Hits of every backend that answered, interleaved, de-duplicated by URL or snippet and cut to the limit. */
  readonly hits: SearchHit[]
  /** Backends that failed, with their errors (the others' hits are still used). */
  readonly failures: ReadonlyArray<{ readonly backend: string; readonly error: unknown }>
}

/** Queries all backends concurrently and merges what succeeded. */
export async function searchAll(
  backends: readonly SearchBackend[],
  query: string,
  signal: AbortSignal,
  limit: number,
): Promise<CombinedResult> {
  // Ask each for a few extra hits: duplicates across backends would otherwise leave fewer than `limit`.
  const want = backends.length > 1 ? limit + 2 : limit
  const settled = await Promise.allSettled(backends.map((backend) => backend.search(query, { signal, limit: want })))
  const lists: SearchHit[][] = []
  const failures: { backend: string; error: unknown }[] = []
  settled.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') lists.push(outcome.value)
    else failures.push({ backend: backends[i]?.name ?? String(i), error: outcome.reason })
  })
  return { hits: dedupeHits(interleave(lists), limit), failures }
}
