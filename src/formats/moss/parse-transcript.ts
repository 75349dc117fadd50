/**
 * Reads a whole MOSS transcript (meta instruction and finished turns) back into structure: the inverse of
 * `renderHistory`, used by the conformance check and by tests that verify no input can forge structure.
 */
import { FormatError } from '../../errors.js'
import type { TurnRecord } from '../types.js'
import { MOSS_END, MOSS_ROLE } from './markers.js'
import { mossResultsToToolResults, parseMossResults } from './results-parse.js'

/** One turn read back: its record and the exact text of each segment. */
export interface ParsedMossTurn {
  readonly record: TurnRecord
  /** The results block as written (`<|Results|>:` … `<eor>\n`). */
  readonly resultsBlock: string
}

/** A transcript read back. */
export interface ParsedMossTranscript {
  /** Everything before the first `<|Human|>: `. */
  readonly meta: string
  readonly turns: readonly ParsedMossTurn[]
}

const HUMAN_OPEN = `${MOSS_ROLE.human} `
const THOUGHT_OPEN = `${MOSS_END.human}\n${MOSS_ROLE.thought} `
const COMMANDS_OPEN = `${MOSS_END.thought}\n${MOSS_ROLE.commands} `
const RESULTS_OPEN = `${MOSS_END.commands}\n${MOSS_ROLE.results}`
const ANSWER_OPEN = `${MOSS_END.results}\n${MOSS_ROLE.answer} `
const TURN_END = `${MOSS_END.answer}\n`

function expectAt(text: string, at: number, what: string): void {
  if (!text.startsWith(what, at)) throw new FormatError(`Expected ${JSON.stringify(what)} at offset ${at}`)
}

function until(text: string, from: number, what: string): number {
  const at = text.indexOf(what, from)
  if (at === -1) throw new FormatError(`Missing ${JSON.stringify(what)} after offset ${from}`)
  return at
}

/**
 * Parses a transcript whose turns are all complete. A segment ends at the first occurrence of its end marker, which
 * must be followed by the next segment's role marker: exactly what a model reading the transcript would see.
 * Throws {@link FormatError} when the text is not a MOSS transcript.
 */
export function parseMossTranscript(text: string): ParsedMossTranscript {
  const first = text.indexOf(HUMAN_OPEN)
  if (first === -1) throw new FormatError('No <|Human|>: turn in the transcript')
  const meta = text.slice(0, first)
  const turns: ParsedMossTurn[] = []
  let at = first
  while (at < text.length) {
    expectAt(text, at, HUMAN_OPEN)
    // Each segment ends at the first occurrence of its end marker; the next segment must follow right there.
    const humanEnd = until(text, at + HUMAN_OPEN.length, MOSS_END.human)
    expectAt(text, humanEnd, THOUGHT_OPEN)
    const human = text.slice(at + HUMAN_OPEN.length, humanEnd)
    const thoughtStart = humanEnd + THOUGHT_OPEN.length
    const thoughtEnd = until(text, thoughtStart, MOSS_END.thought)
    expectAt(text, thoughtEnd, COMMANDS_OPEN)
    const commandsStart = thoughtEnd + COMMANDS_OPEN.length
    const commandsEnd = until(text, commandsStart, MOSS_END.commands)
    expectAt(text, commandsEnd, RESULTS_OPEN)
    const resultsStart = commandsEnd + `${MOSS_END.commands}\n`.length
    const resultsEnd = until(text, resultsStart, MOSS_END.results)
    expectAt(text, resultsEnd, ANSWER_OPEN)
    const resultsBlock = text.slice(resultsStart, resultsEnd + `${MOSS_END.results}\n`.length)
    const answerStart = resultsEnd + ANSWER_OPEN.length
    const answerEnd = until(text, answerStart, MOSS_END.answer)
    expectAt(text, answerEnd, TURN_END)
    if (answerEnd + TURN_END.length < text.length) expectAt(text, answerEnd + TURN_END.length, HUMAN_OPEN)
    const parsed = parseMossResults(resultsBlock)
    const record: TurnRecord = {
      human,
      thought: text.slice(thoughtStart, thoughtEnd),
      commands: text.slice(commandsStart, commandsEnd),
      results: mossResultsToToolResults(parsed, `call_${turns.length + 1}_`),
      resultsText: resultsBlock,
      answer: text.slice(answerStart, answerEnd),
    }
    turns.push({ record, resultsBlock })
    at = answerEnd + TURN_END.length
  }
  return { meta, turns }
}
