/**
 * The stream scanner of formats whose call is the whole message (Llama 3's JSON calls): the first non-blank
 * characters decide — a message starting with `{` or `<|python_tag|>` is a call (`commands`, never shown as
 * answer), anything else is answer text. Header and end markers halt; partial markers are held back.
 */
import { earliestMarker, heldTailLength } from '../../util/partial-marker.js'
import type { ScanEvent, StreamScanner } from '../types.js'

const PYTHON_TAG = '<|python_tag|>'
const HALT = ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>', '<|eom_id|>', '<|begin_of_text|>']

/** Creates the scanner; with `tools` off a message is always answer text. */
export function createLeadScanner(tools: boolean): StreamScanner {
  let section: 'undecided' | 'answer' | 'commands' = tools ? 'undecided' : 'answer'
  let buffer = ''
  let over = false

  const decide = (final: boolean): boolean => {
    const lead = buffer.trimStart()
    if (lead === '') return final
    if (lead.startsWith('{') || lead.startsWith(PYTHON_TAG)) section = 'commands'
    else if (PYTHON_TAG.startsWith(lead) && !final) return false
    else section = 'answer'
    return true
  }

  const run = (events: ScanEvent[], final: boolean): void => {
    if (over) return
    if (section === 'undecided' && !decide(final)) return
    if (section === 'undecided') return
    const found = earliestMarker(buffer, HALT)
    const kind = section
    const emit = (text: string): void => {
      if (text !== '') events.push({ kind, text })
    }
    if (found) {
      emit(buffer.slice(0, found.index))
      buffer = ''
      over = true
      events.push({ kind: 'halt' })
      return
    }
    const hold = heldTailLength(buffer, HALT)
    emit(buffer.slice(0, buffer.length - hold))
    buffer = final ? '' : buffer.slice(buffer.length - hold)
  }

  return {
    push(chunk) {
      const events: ScanEvent[] = []
      buffer += chunk
      run(events, false)
      return events
    },
    end() {
      const events: ScanEvent[] = []
      run(events, true)
      return events
    },
  }
}
