/**
 * A small stream scanner for tag-based formats (ChatML/Hermes, ChatGLM3): text is `answer` until an opening tag
 * switches to `commands` and the closing tag switches back; any halting marker ends the stream. Text that could
 * still become a marker, a trailing lone high surrogate and trailing U+FFFD are held back.
 */
import { earliestMarker, heldTailLength } from '../../util/partial-marker.js'
import type { ScanEvent, StreamScanner } from '../types.js'

/** Marker tables of a tag scanner. */
export interface TagScannerMarkers {
  /** Tag that starts a tool-call section, e.g. `<tool_call>`. */
  readonly open?: string
  /** Tag that ends it, e.g. `</tool_call>`. */
  readonly close?: string
  /** Markers that must never appear in output text: the stream halts there. */
  readonly halt: readonly string[]
}

/** Creates a scanner; `start` is the first section. */
export function createTagScanner(markers: TagScannerMarkers, start: 'answer' | 'commands' = 'answer'): StreamScanner {
  const all = [...(markers.open ? [markers.open] : []), ...(markers.close ? [markers.close] : []), ...markers.halt]
  let section: 'answer' | 'commands' = start
  let buffer = ''
  let over = false
  const hold = (text: string): number => heldTailLength(text, all)

  const emit = (events: ScanEvent[], text: string) => {
    if (text === '') return
    const last = events[events.length - 1]
    if (last && last.kind === section) events[events.length - 1] = { kind: section, text: last.text + text }
    else events.push({ kind: section, text })
  }

  const run = (events: ScanEvent[], final: boolean) => {
    while (!over) {
      const found = earliestMarker(buffer, all)
      const best = found && { at: found.index, marker: found.marker }
      if (!best) {
        const h = hold(buffer)
        emit(events, buffer.slice(0, buffer.length - h))
        buffer = final ? '' : buffer.slice(buffer.length - h)
        return
      }
      emit(events, buffer.slice(0, best.at))
      buffer = buffer.slice(best.at + best.marker.length)
      if (best.marker === markers.open && section === 'answer') section = 'commands'
      else if (best.marker === markers.close && section === 'commands') section = 'answer'
      else {
        over = true
        buffer = ''
        events.push({ kind: 'halt' })
      }
    }
  }

  return {
    push(chunk) {
      const events: ScanEvent[] = []
      if (over) return events
      buffer += chunk
      run(events, false)
      return events
    },
    end() {
      const events: ScanEvent[] = []
      if (!over) run(events, true)
      return events
    },
  }
}
