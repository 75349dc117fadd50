/**
 * The stream scanner of tag-based formats (Qwen, Hermes, ChatML, ChatGLM3), driven by a marker table: text is
 * `answer` until an opening tag switches to `commands` and the closing tag switches back; a think tag pair
 * (`<think>`…`</think>`) makes a `thought` section in which no other tag counts (a call written while thinking is
 * never a call); any halting marker ends the stream. Text that could still become a marker, a trailing lone high
 * surrogate and trailing U+FFFD are held back (the shared partial-marker primitive).
 */
import { earliestMarker, heldTailLength } from '../../util/partial-marker.js'
import type { ScanEvent, StreamScanner } from '../types.js'

/** Marker tables of a tag scanner. */
export interface TagScannerMarkers {
  /** Tag that starts a tool-call section, e.g. `<tool_call>`. */
  readonly open?: string
  /** Tag that ends it, e.g. `</tool_call>`. */
  readonly close?: string
  /** Reasoning tags, e.g. `<think>` and `</think>`: their content streams as `thought`. */
  readonly think?: { readonly open: string; readonly close: string }
  /**
   * Answer text after the first call is not shown (`true` for formats whose template cannot keep it: it is cut from
   * the transcript, so the user must not see it either). Defaults to `false`.
   */
  readonly quietAfterCalls?: boolean
  /** Markers that must never appear in output text: the stream halts there. */
  readonly halt: readonly string[]
}

type Section = 'answer' | 'commands' | 'thought'

/** Creates a scanner; `start` is the first section. */
export function createTagScanner(markers: TagScannerMarkers, start: Section = 'answer'): StreamScanner {
  const outside = [
    ...(markers.open ? [markers.open] : []),
    ...(markers.close ? [markers.close] : []),
    ...(markers.think ? [markers.think.open, markers.think.close] : []),
    ...markers.halt,
  ]
  const inThought = markers.think ? [markers.think.close, ...markers.halt] : markers.halt
  let section: Section = start
  let called = false
  let buffer = ''
  let over = false

  const emit = (events: ScanEvent[], text: string) => {
    if (text === '' || (section === 'answer' && called && markers.quietAfterCalls)) return
    const last = events[events.length - 1]
    if (last && last.kind === section) events[events.length - 1] = { kind: section, text: last.text + text }
    else events.push({ kind: section, text })
  }

  const run = (events: ScanEvent[], final: boolean) => {
    while (!over) {
      const table = section === 'thought' ? inThought : outside
      const found = earliestMarker(buffer, table)
      if (!found) {
        // At the end a held tail is dropped: a partial marker or half a character never reaches the user.
        const h = heldTailLength(buffer, table)
        emit(events, buffer.slice(0, buffer.length - h))
        buffer = final ? '' : buffer.slice(buffer.length - h)
        return
      }
      emit(events, buffer.slice(0, found.index))
      buffer = buffer.slice(found.index + found.marker.length)
      const marker = found.marker
      if (marker === markers.open && section === 'answer') {
        section = 'commands'
        called = true
      } else if (marker === markers.close && section === 'commands') section = 'answer'
      else if (markers.think && marker === markers.think.open && section === 'answer') section = 'thought'
      else if (markers.think && marker === markers.think.close && section === 'thought') section = 'answer'
      else if (markers.think && marker === markers.think.close && section === 'answer') continue
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
