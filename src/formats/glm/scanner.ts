/**
 * The stream scanner of the GLM formats (GLM-4, ChatGLM3). An assistant generation is one or more messages separated
 * by `<|assistant|>`; each starts with a metadata line: empty for text (streamed as `answer`), a tool name for a call
 * (its content is `commands`, never shown). A segment without a newline is text, as THUDM's `process_response` reads
 * it. Halting markers end the stream; text that could still become a marker or a metadata line is held back.
 */
import { earliestMarker, heldTailLength } from '../../util/partial-marker.js'
import type { ScanEvent, StreamScanner } from '../types.js'

/**
 * Whether a metadata line can name a tool (plugin commands are 1–64 characters of `[A-Za-z0-9_.-]`). Any other first
 * line — a sentence the model began without the newline of a text message — is text, not a call to an unknown tool.
 */
export function isToolName(metadata: string): boolean {
  return /^[\w.-]{1,64}$/.test(metadata)
}

/** Markers of the scanner. */
export interface GlmScannerMarkers {
  /** The role token that starts another assistant message within the same generation (`<|assistant|>`). */
  readonly assistant: string
  /** Markers that must never appear in output text: the stream halts there. */
  readonly halt: readonly string[]
}

/** Creates a scanner for one generation, which starts right after an `<|assistant|>` token. */
export function createGlmScanner(markers: GlmScannerMarkers): StreamScanner {
  const inSection = [markers.assistant, ...markers.halt]
  const inHead = ['\n', ...inSection]
  let state: 'head' | 'answer' | 'commands' = 'head'
  // Leading whitespace of a text message is not shown (ChatGLM3 writes `\n ` before its content).
  let leading = true
  let buffer = ''
  let over = false

  const emit = (events: ScanEvent[], kind: 'answer' | 'commands', raw: string): void => {
    let text = raw
    if (kind === 'answer' && leading) {
      text = text.replace(/^\s+/, '')
      if (text !== '') leading = false
    }
    if (text === '') return
    const last = events[events.length - 1]
    if (last && last.kind === kind) events[events.length - 1] = { kind, text: last.text + text }
    else events.push({ kind, text })
  }

  const run = (events: ScanEvent[], final: boolean): void => {
    while (!over) {
      if (state === 'head') {
        const found = earliestMarker(buffer, inHead)
        if (!found) {
          // The metadata line is undecided until its newline; at the end a line without one is text.
          if (!final) return
          state = 'answer'
          continue
        }
        if (found.marker === '\n') {
          const metadata = buffer.slice(0, found.index).trim()
          state = metadata === '' ? 'answer' : isToolName(metadata) ? 'commands' : 'answer'
          leading = true
          // A first line that cannot name a tool is text, and stays in it.
          if (metadata === '' || state === 'commands') buffer = buffer.slice(found.index + 1)
          continue
        }
        // A segment without a newline: text, up to the marker.
        state = 'answer'
        leading = true
        continue
      }
      const found = earliestMarker(buffer, inSection)
      if (!found) {
        const held = heldTailLength(buffer, inSection)
        emit(events, state, buffer.slice(0, buffer.length - held))
        buffer = final ? '' : buffer.slice(buffer.length - held)
        return
      }
      emit(events, state, buffer.slice(0, found.index))
      buffer = buffer.slice(found.index + found.marker.length)
      if (found.marker === markers.assistant) {
        state = 'head'
        continue
      }
      over = true
      buffer = ''
      events.push({ kind: 'halt' })
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
