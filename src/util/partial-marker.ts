/**
 * The one partial-marker primitive of streamed text, shared by the stop detector and every format's scanner, so that
 * all of them agree on what may be shown: a tail that could still grow into a marker waits, and where two markers
 * start at the same index the longer one wins (it is the more specific: `<|eot_id|>` over `<|eot`, `</tool_call>`
 * over `</tool`).
 */

/** Where the earliest complete marker starts in `text`, and which one (longest at equal index). */
export function earliestMarker(text: string, markers: readonly string[]): { index: number; marker: string } | undefined {
  let best: { index: number; marker: string } | undefined
  for (const marker of markers) {
    if (marker === '') continue
    const index = text.indexOf(marker)
    if (index < 0) continue
    if (best === undefined || index < best.index || (index === best.index && marker.length > best.marker.length)) best = { index, marker }
  }
  return best
}

/** Length of the longest suffix of `text` that is a proper prefix of some marker (0 when none). */
export function partialMarkerLength(text: string, markers: readonly string[]): number {
  let longest = 0
  for (const marker of markers) {
    for (let length = Math.min(marker.length - 1, text.length); length > longest; length--) {
      if (text.endsWith(marker.slice(0, length))) {
        longest = length
        break
      }
    }
  }
  return longest
}

/**
 * Length of the tail of `text` a stream must hold back before showing it: a partial marker, and before it (or
 * alone) a lone high surrogate or trailing U+FFFD, which are the first half of a character a later chunk completes.
 */
export function heldTailLength(text: string, markers: readonly string[]): number {
  let end = text.length - partialMarkerLength(text, markers)
  while (end > 0) {
    const code = text.charCodeAt(end - 1)
    if (code !== 0xfffd && !(code >= 0xd800 && code <= 0xdbff)) break
    end--
  }
  return text.length - end
}
