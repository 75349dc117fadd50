/**
 * The MOSS stream scanner: splits a generation into thought / commands / answer as it streams, holding back any
 * text that could still become a marker, a trailing lone high surrogate and trailing U+FFFD, so that no marker or
 * partial marker ever reaches a section's text.
 */
import { earliestMarker, heldTailLength } from '../../util/partial-marker.js'
import type { ScanEvent, StreamScanner } from '../types.js'
import { MOSS_END, MOSS_ROLE, MOSS_STRUCTURAL_MARKERS } from './markers.js'

/**
 * Where a MOSS generation starts: after the `<|Inner Thoughts|>:` prefill, after `<|Commands|>:` (a commands span
 * the format forced after a thought that never closed), or after `<|MOSS|>:`.
 */
export type MossScanStart = 'thought' | 'commands' | 'answer'

type State = 'thought' | 'between' | 'commands' | 'answer' | 'over'

/** What a whole generation contained (the scanner's view, used to decide and repair after it ended). */
export interface MossScan {
  /** Thought text (one leading space removed), `undefined` when the generation started at the answer. */
  readonly thought?: string
  /** Whether `<eot>` closed the thought. */
  readonly thoughtClosed: boolean
  /** Commands text (one leading space removed), `undefined` when `<|Commands|>:` never appeared. */
  readonly commands?: string
  /** Answer text (one leading space removed), `undefined` when no answer section appeared. */
  readonly answer?: string
  /** The marker that went off-format (or ended the text), if any. */
  readonly haltedOn?: string
  /** Where the text ended (or halted). */
  readonly endedIn: 'thought' | 'between' | 'commands' | 'answer'
}

/** Length of the suffix of `text` that must wait: a marker prefix, a lone high surrogate, trailing U+FFFD. */
function holdLength(text: string): number {
  return heldTailLength(text, MOSS_STRUCTURAL_MARKERS)
}

function firstMarker(text: string): { index: number; marker: string } | undefined {
  return earliestMarker(text, MOSS_STRUCTURAL_MARKERS)
}

/** The scanner plus what it saw (for {@link scanMoss}). */
export interface MossScanner extends StreamScanner {
  /** Summary of everything pushed so far. */
  summary(): MossScan
}

/** Creates a scanner for one MOSS generation. */
export function createMossScanner(start: MossScanStart): MossScanner {
  let state: State = start
  let buffer = ''
  let sectionStart = true
  let haltedOn: string | undefined
  let endedIn: MossScan['endedIn'] = start
  let thoughtClosed = false
  const text: { thought?: string; commands?: string; answer?: string } = { [start]: '' }

  const emit = (events: ScanEvent[], piece: string) => {
    if (piece === '' || state === 'over' || state === 'between') return
    if (sectionStart) {
      sectionStart = false
      if (piece.startsWith(' ')) piece = piece.slice(1)
      if (piece === '') return
    }
    const kind = state
    text[kind] = (text[kind] ?? '') + piece
    const last = events[events.length - 1]
    if (last && last.kind === kind) events[events.length - 1] = { kind, text: last.text + piece }
    else events.push({ kind, text: piece })
  }

  const enter = (next: 'commands' | 'answer') => {
    state = next
    endedIn = next
    sectionStart = true
    text[next] = ''
  }

  const halt = (events: ScanEvent[], marker: string) => {
    haltedOn = marker
    state = 'over'
    buffer = ''
    events.push({ kind: 'halt' })
  }

  const process = (events: ScanEvent[], final: boolean) => {
    while (state !== 'over') {
      const found = firstMarker(buffer)
      if (found) {
        const before = buffer.slice(0, found.index)
        if (state === 'between' && before.trim() !== '') return halt(events, found.marker)
        emit(events, before)
        buffer = buffer.slice(found.index + found.marker.length)
        const { marker } = found
        if (state === 'thought' && marker === MOSS_END.thought) {
          state = 'between'
          endedIn = 'between'
          thoughtClosed = true
        } else if ((state === 'thought' || state === 'between') && marker === MOSS_ROLE.commands) enter('commands')
        else if ((state === 'thought' || state === 'between') && marker === MOSS_ROLE.answer) enter('answer')
        else return halt(events, marker)
        continue
      }
      if (state === 'between') {
        // Only whitespace may separate `<eot>` from the next role marker.
        const hold = holdLength(buffer)
        if (buffer.slice(0, buffer.length - hold).trim() !== '') return halt(events, '')
        if (final) buffer = ''
        return
      }
      if (final) {
        // A marker prefix or broken character at the very end is a cut-off marker or character: drop it.
        emit(events, buffer.slice(0, buffer.length - holdLength(buffer)))
        buffer = ''
        return
      }
      const hold = holdLength(buffer)
      emit(events, buffer.slice(0, buffer.length - hold))
      buffer = buffer.slice(buffer.length - hold)
      return
    }
  }

  return {
    push(chunk: string): ScanEvent[] {
      const events: ScanEvent[] = []
      if (state === 'over') return events
      buffer += chunk
      process(events, false)
      return events
    },
    end(): ScanEvent[] {
      const events: ScanEvent[] = []
      if (state !== 'over') process(events, true)
      return events
    },
    summary(): MossScan {
      return {
        ...text,
        thoughtClosed,
        endedIn,
        ...(haltedOn !== undefined ? { haltedOn } : {}),
      }
    },
  }
}

/** Scans a whole generation at once (the same rules as streaming, so records equal what was streamed). */
export function scanMoss(text: string, start: MossScanStart): MossScan {
  const scanner = createMossScanner(start)
  scanner.push(text)
  scanner.end()
  return scanner.summary()
}
