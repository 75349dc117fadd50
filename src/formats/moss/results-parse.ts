/**
 * Reads a `<|Results|>:` block back into entries and tool results (conformance checks, injection tests, session
 * repair). The inverse of {@link renderMossResults} for everything that renderer writes.
 */
import { unescapePythonString } from '../python-repr.js'
import { formatSearchHits, type SearchHit } from '../search-hits.js'
import type { ToolResult } from '../types.js'
import { MOSS_DROPPED_RESULTS, MOSS_EMPTY_RESULTS, MOSS_END, MOSS_IMAGE_RESULTS, MOSS_ROLE } from './markers.js'
import { MOSS_FAILURE, MOSS_IMAGE_SUCCESS } from './results.js'

/** One entry of a results block. */
export interface MossResultEntry {
  readonly command: string
  readonly input: string
  /** Text after `=>` on the header line (trimmed), empty for block entries. */
  readonly inline: string
  /** Lines below the header (search hits, solver lines). */
  readonly lines: readonly string[]
}

/** A results block read back. */
export interface ParsedMossResults {
  /** `none`: the `None` block; `dropped`: `<|Results|>: None<eor>`; `image`: the Text2Image block. */
  readonly kind: 'entries' | 'none' | 'dropped' | 'image' | 'unparsed'
  readonly entries: readonly MossResultEntry[]
  /** Lines that belong to no entry (malformed data). */
  readonly stray: readonly string[]
}

const HEADER = /^(\w+)\("(.*)"\) =>(.*)$/
const HIT = /^<\|(\d+)\|>: (.*)$/

/** Parses a results block (`<|Results|>:` … `<eor>\n`). */
export function parseMossResults(block: string): ParsedMossResults {
  if (block === MOSS_EMPTY_RESULTS) return { kind: 'none', entries: [], stray: [] }
  if (block === MOSS_DROPPED_RESULTS) return { kind: 'dropped', entries: [], stray: [] }
  if (block === MOSS_IMAGE_RESULTS) return { kind: 'image', entries: [], stray: [] }
  const open = `${MOSS_ROLE.results}\n`
  const close = `${MOSS_END.results}\n`
  if (!block.startsWith(open) || !block.endsWith(close)) return { kind: 'unparsed', entries: [], stray: [block] }
  const body = block.slice(open.length, block.length - close.length)
  const rows = body.endsWith('\n') ? body.slice(0, -1).split('\n') : body.split('\n')
  const entries: { command: string; input: string; inline: string; lines: string[] }[] = []
  const stray: string[] = []
  for (const row of rows) {
    const m = HEADER.exec(row)
    if (m) {
      entries.push({ command: m[1] as string, input: m[2] as string, inline: (m[3] as string).trim(), lines: [] })
      continue
    }
    const last = entries[entries.length - 1]
    if (last && last.inline === '') last.lines.push(row)
    else stray.push(row)
  }
  return { kind: 'entries', entries, stray }
}

/** Reads the body of a hit line (after `<|n|>: `) back into a hit; `exact` is false for cut (unclosed) snippets. */
export function parseSearchHitBody(body: string): { hit: SearchHit; exact: boolean } {
  const quoted = (text: string) => {
    const q = text[0]
    if (q !== "'" && q !== '"') return undefined
    const closed = text.length >= 2 && text.endsWith(q) && !text.endsWith(`\\${q}`)
    return { snippet: unescapePythonString(text.slice(1, closed ? -1 : undefined)), closed }
  }
  const plain = quoted(body)
  if (plain) return { hit: { snippet: plain.snippet }, exact: plain.closed }
  const titled = /^(.*?): (['"].*)$/.exec(body)
  const inner = titled ? quoted(titled[2] as string) : undefined
  if (titled && inner) return { hit: { title: titled[1] as string, snippet: inner.snippet }, exact: inner.closed }
  return { hit: { snippet: body }, exact: false }
}

/**
 * Turns parsed entries into tool results with the result-text contract of each command (Search: JSON hits;
 * Calculate: the value; Solve and custom: the lines). Ids are `{prefix}{n}`.
 */
export function mossResultsToToolResults(parsed: ParsedMossResults, idPrefix = 'call_'): ToolResult[] {
  return parsed.entries.map((entry, index): ToolResult => {
    const call = { id: `${idPrefix}${index + 1}`, command: entry.command, input: entry.input }
    if (entry.inline.startsWith('Error: ')) return { call, ok: false, text: entry.inline.slice('Error: '.length) }
    switch (entry.command) {
      case 'Search': {
        if (entry.lines.length === 1 && entry.lines[0] === MOSS_FAILURE.Search) return { call, ok: false, text: MOSS_FAILURE.Search }
        const hits = entry.lines.map((line) => parseSearchHitBody(HIT.exec(line)?.[2] ?? line).hit)
        return { call, ok: true, text: formatSearchHits(hits) }
      }
      case 'Calculate': {
        if (entry.inline === MOSS_FAILURE.Calculate) return { call, ok: false, text: MOSS_FAILURE.Calculate }
        const value = parseSearchHitBody(entry.inline)
        return { call, ok: true, text: value.hit.title === undefined ? value.hit.snippet : entry.inline }
      }
      case 'Text2Image':
        return { call, ok: entry.inline === MOSS_IMAGE_SUCCESS, text: entry.inline }
      default: {
        if (entry.lines.length === 1 && entry.lines[0] === MOSS_FAILURE.Solve) return { call, ok: false, text: MOSS_FAILURE.Solve }
        return { call, ok: true, text: entry.lines.join('\n') }
      }
    }
  })
}
