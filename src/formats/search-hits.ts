/**
 * The Search result contract shared by every format and the search plugin.
 *
 * A Search plugin returns its hits as `data` = `{ hits: SearchHit[] }` (see {@link searchHitsOutput}) and, for
 * formats that show text, as `text` = a JSON array (see {@link formatSearchHits}); the format numbers, quotes and
 * cuts them (MOSS numbers hits across all searches of a turn, so a plugin cannot). Without `data`, text that is not
 * such an array is taken as one snippet.
 */

/** One search hit: a snippet, optionally with a title (an answer box such as `Blizzard Entertainment`). */
export interface SearchHit {
  /** Short title shown before the snippet, as in `<|1|>: title: 'snippet'`. Omitted for plain hits. */
  readonly title?: string
  /** The snippet text (raw; the format quotes and cuts it). */
  readonly snippet: string
}

/**
 * Writes hits as the text a Search plugin returns: a JSON array of snippet strings, with `{ "title", "snippet" }`
 * objects for titled hits.
 */
export function formatSearchHits(hits: readonly (string | SearchHit)[]): string {
  return JSON.stringify(
    hits.map((hit) => (typeof hit === 'string' || hit.title === undefined ? (typeof hit === 'string' ? hit : hit.snippet) : hit)),
  )
}

/** Reads a Search plugin's result text back into hits (lenient: non-JSON text is one snippet). */
export function parseSearchHits(text: string): SearchHit[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed)
      if (Array.isArray(value)) {
        const hits: SearchHit[] = []
        for (const item of value) {
          if (typeof item === 'string') hits.push({ snippet: item })
          else if (item !== null && typeof item === 'object') {
            const record = item as Record<string, unknown>
            const snippet = typeof record.snippet === 'string' ? record.snippet : JSON.stringify(item)
            hits.push(typeof record.title === 'string' && record.title !== '' ? { title: record.title, snippet } : { snippet })
          } else if (item !== undefined && item !== null) hits.push({ snippet: String(item) })
        }
        return hits
      }
    } catch {
      // Not JSON after all: fall through to the single-snippet reading.
    }
  }
  return trimmed === '' ? [] : [{ snippet: text }]
}

/** The output of a Search plugin: the hits as JSON text and as `data.hits`. */
export function searchHitsOutput(hits: readonly (string | SearchHit)[]): { text: string; data: { hits: SearchHit[] } } {
  const structured = hits.map((hit) => (typeof hit === 'string' ? { snippet: hit } : hit.title === undefined ? { snippet: hit.snippet } : { title: hit.title, snippet: hit.snippet }))
  return { text: formatSearchHits(hits), data: { hits: structured } }
}

/** The hits of a Search result's `data` (`{ hits: [{ snippet, title? }] }`), or `undefined` when it holds none. */
export function searchHitsFromData(data: unknown): SearchHit[] | undefined {
  const hits = (data as { hits?: unknown } | null | undefined)?.hits
  if (!Array.isArray(hits)) return undefined
  const read: SearchHit[] = []
  for (const hit of hits as unknown[]) {
    const record = hit as { snippet?: unknown; title?: unknown } | null
    if (record === null || typeof record !== 'object' || typeof record.snippet !== 'string') return undefined
    read.push(typeof record.title === 'string' && record.title !== '' ? { title: record.title, snippet: record.snippet } : { snippet: record.snippet })
  }
  return read
}
