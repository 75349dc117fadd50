/**
 * Renders the `<|Results|>:` block exactly as MOSS's SFT data writes it, and reads one back.
 *
 * Entry forms (SFT data):
 * - `Search("q") =>` then `<|n|>: 'snippet'` lines (numbering continues across the searches of a turn);
 * - `Calculate("e") => 'value'` (Python-repr quoted) or `Calculate("e") => No calculation results.`;
 * - `Solve("e") =>` then `x = …` lines, or `No result.`;
 * - a lone successful Text2Image call: the whole block is `<|Results|>: Image generated successfully.<eor>`.
 * Custom plugins are written like Solve; refused calls as `Cmd("a") => Error: …`.
 */
import type { PromptPart } from '../../prompt.js'
import { neutraliseMarkers, USER_TEXT_NEUTRALISE_RULES } from '../neutralise.js'
import { pythonRepr } from '../python-repr.js'
import { parseSearchHits, searchHitsFromData, type SearchHit } from '../search-hits.js'
import type { ToolResult } from '../types.js'
import { commandRank } from './builtins.js'
import { MOSS_DROPPED_RESULTS, MOSS_EMPTY_RESULTS, MOSS_END, MOSS_IMAGE_RESULTS, MOSS_MAX_SEARCH_HITS, MOSS_NONE, MOSS_ROLE, MOSS_SNIPPET_LIMIT } from './markers.js'

/** Failure texts of the built-in commands (SFT data). */
export const MOSS_FAILURE = {
  Calculate: 'No calculation results.',
  Solve: 'No result.',
  Search: 'No result.',
  Text2Image: 'No result.',
  other: 'No result.',
} as const

/** Success text of Text2Image. */
export const MOSS_IMAGE_SUCCESS = 'Image generated successfully.'

/** A line of result text that would read as an entry header is defused (its `=>` becomes `⇒`). */
const HEADER_LIKE = /^(\s*\w+\s*\(.*\)\s*)=>/u

function cleanLine(text: string): string {
  return neutraliseMarkers(text).replace(/\r\n?|\n/g, ' ')
}

function cleanBlock(text: string): string[] {
  const lines = neutraliseMarkers(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(HEADER_LIKE, '$1\u21D2'))
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop()
  return lines
}

/** Cuts a quoted snippet to MOSS's limit, counting code points as Python does. */
function cut(text: string, limit = MOSS_SNIPPET_LIMIT): string {
  const points = Array.from(text)
  return points.length > limit ? points.slice(0, limit).join('') : text
}

/** The body of one search hit line after `<|n|>: `. */
export function renderSearchHit(hit: SearchHit): string {
  const quoted = cut(pythonRepr(neutraliseMarkers(hit.snippet)))
  return hit.title !== undefined ? `${cleanLine(hit.title)}: ${quoted}` : quoted
}

/** Options of {@link renderMossResults}. */
export interface RenderResultsOptions {
  /** Ids of calls the format refused: written as `Cmd("a") => Error: …`. Defaults to none. */
  readonly rejected?: ReadonlySet<string>
  /** The calls in the order the model wrote them (ties in the result order keep this order). Defaults to `results`' order. */
  readonly writtenOrder?: readonly string[]
}

/** Sorts results into MOSS's result order: Search, Calculate, Solve, Text2Image, then others, stable. */
export function orderMossResults(results: readonly ToolResult[], writtenOrder?: readonly string[]): ToolResult[] {
  const position = (r: ToolResult, i: number) => {
    const at = writtenOrder?.indexOf(r.call.id) ?? -1
    return at === -1 ? 1000 + i : at
  }
  return results
    .map((r, i) => ({ r, i, p: position(r, i) }))
    .sort((a, b) => commandRank(a.r.call.command) - commandRank(b.r.call.command) || a.p - b.p)
    .map((x) => x.r)
}

/** The rendered results block: its text and the parts to send (markers trusted, content untrusted). */
export interface RenderedResults {
  /** The block, `<|Results|>:` … `<eor>\n`. */
  readonly text: string
  readonly parts: PromptPart[]
}

function header(result: ToolResult): string {
  // A header is one line: a line break in the model's argument would end it early and start a forged entry.
  const argument = cleanLine(result.call.input)
  return result.call.arguments !== undefined ? `${result.call.command}(${argument}) =>` : `${result.call.command}("${argument}") =>`
}

/** Renders the results block of one turn (no results: the `None` block). */
export function renderMossResults(results: readonly ToolResult[], options: RenderResultsOptions = {}): RenderedResults {
  const rejected = options.rejected ?? new Set<string>()
  if (results.length === 0) return splitBlock(MOSS_EMPTY_RESULTS)
  const only = results.length === 1 ? results[0] : undefined
  if (only && only.call.command === 'Text2Image' && only.ok && !rejected.has(only.call.id)) {
    return { text: MOSS_IMAGE_RESULTS, parts: [{ text: MOSS_IMAGE_RESULTS, trusted: true }] }
  }
  let body = ''
  let hitNumber = 0
  for (const result of orderMossResults(results, options.writtenOrder)) {
    const command = result.call.command
    if (rejected.has(result.call.id)) {
      body += command === '' ? `Error: ${cleanLine(result.text)}\n` : `${header(result)} Error: ${cleanLine(result.text)}\n`
      continue
    }
    switch (command) {
      case 'Search': {
        const hits = result.ok ? (searchHitsFromData(result.data) ?? parseSearchHits(result.text)).slice(0, MOSS_MAX_SEARCH_HITS) : []
        body += `${header(result)}\n`
        if (hits.length === 0) body += `${MOSS_FAILURE.Search}\n`
        for (const hit of hits) body += `<|${++hitNumber}|>: ${renderSearchHit(hit)}\n`
        break
      }
      case 'Calculate':
        body += result.ok ? `${header(result)} ${pythonRepr(neutraliseMarkers(result.text))}\n` : `${header(result)} ${MOSS_FAILURE.Calculate}\n`
        break
      case 'Text2Image':
        body += `${header(result)} ${result.ok ? MOSS_IMAGE_SUCCESS : MOSS_FAILURE.Text2Image}\n`
        break
      default: {
        if (!result.ok && command !== 'Solve') {
          body += `${header(result)} Error: ${cleanLine(result.text)}\n`
          break
        }
        const lines = result.ok ? cleanBlock(result.text) : []
        body += `${header(result)}\n${lines.length > 0 ? lines.join('\n') : MOSS_FAILURE.Solve}\n`
      }
    }
  }
  return {
    text: `${MOSS_ROLE.results}\n${body}${MOSS_END.results}\n`,
    parts: [
      { text: `${MOSS_ROLE.results}\n`, trusted: true },
      { text: body, trusted: false },
      { text: `${MOSS_END.results}\n`, trusted: true },
    ],
  }
}

/** Results blocks the format writes whole, as trusted text. */
const FIXED_BLOCKS: ReadonlySet<string> = new Set([MOSS_DROPPED_RESULTS, MOSS_IMAGE_RESULTS])

/**
 * Splits a results block text into parts: the marker lines trusted, the entries untrusted (used to rebuild history
 * from a stored block). A stored block is input like any other: its entries are neutralised again (a no-op for blocks
 * this format wrote), and a block of any other shape is untrusted as a whole.
 */
export function splitBlock(block: string): RenderedResults {
  const open = `${MOSS_ROLE.results}\n`
  const close = `${MOSS_END.results}\n`
  if (FIXED_BLOCKS.has(block)) return { text: block, parts: [{ text: block, trusted: true }] }
  if (block.startsWith(open) && block.endsWith(close) && block.length >= open.length + close.length) {
    const body = neutraliseMarkers(block.slice(open.length, block.length - close.length), USER_TEXT_NEUTRALISE_RULES)
    const parts: PromptPart[] = [{ text: open, trusted: true }]
    if (body !== '') parts.push({ text: body, trusted: body === `${MOSS_NONE}\n` })
    parts.push({ text: close, trusted: true })
    return { text: open + body + close, parts }
  }
  const text = neutraliseMarkers(block, USER_TEXT_NEUTRALISE_RULES)
  return { text, parts: [{ text, trusted: false }] }
}
