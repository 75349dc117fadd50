/**
 * The prompt parts of a MOSS turn, cut exactly where the live loop cuts them (prefills, generated text, results),
 * so that a transcript rebuilt from records has the same parts as the one built while talking.
 */
import type { PromptPart } from '../../prompt.js'
import { neutraliseMarkers, USER_TEXT_NEUTRALISE_RULES } from '../neutralise.js'
import type { TurnRecord } from '../types.js'
import { MOSS_DROPPED_RESULTS, MOSS_END, MOSS_NO_PLUGIN_BLOCK, MOSS_NONE, MOSS_ROLE } from './markers.js'
import { renderMossResults, splitBlock } from './results.js'

/** The human segment and the prefill of the first generation. */
export function humanParts(human: string, withPlugins: boolean): PromptPart[] {
  const prefill = withPlugins ? MOSS_ROLE.thought : `${MOSS_NO_PLUGIN_BLOCK}${MOSS_ROLE.answer}`
  return [
    { text: `${MOSS_ROLE.human} `, trusted: true },
    { text: neutraliseMarkers(human, USER_TEXT_NEUTRALISE_RULES), trusted: false },
    { text: `${MOSS_END.human}\n${prefill}`, trusted: true },
  ]
}

/** The first generation's text as it stands in the transcript (stop marker included). */
export function thoughtAndCommandsText(thought: string, commands: string): string {
  return ` ${thought}${MOSS_END.thought}\n${MOSS_ROLE.commands} ${commands}${MOSS_END.commands}`
}

/** The answer generation's text as it stands in the transcript (stop marker included). */
export function answerText(answer: string): string {
  return ` ${answer}${MOSS_END.answer}`
}

/** The results block (or a fixed block) followed by the answer prefill. */
export function resultsParts(block: string): PromptPart[] {
  const parts = splitBlock(block).parts.map((p) => ({ ...p }))
  // The line break before and the answer prefill after are markers: they join a trusted edge, never an untrusted one.
  const first = parts[0]
  if (first?.trusted === true) first.text = `\n${first.text}`
  else parts.unshift({ text: '\n', trusted: true })
  const last = parts[parts.length - 1]
  if (last?.trusted === true) last.text = `${last.text}${MOSS_ROLE.answer}`
  else parts.push({ text: MOSS_ROLE.answer, trusted: true })
  return parts
}

/** The part that closes a turn after `<eom>`. */
export const TURN_CLOSE: readonly PromptPart[] = [{ text: '\n', trusted: true }]

/** True when a record is the fixed form of a turn without plugins. */
export function isNoPluginRecord(record: TurnRecord): boolean {
  return record.thought === MOSS_NONE && record.commands === MOSS_NONE && record.resultsText === MOSS_DROPPED_RESULTS
}

/** All parts of a finished turn; `dropResults` writes `<|Results|>: None<eor>` instead of its results. */
export function recordParts(record: TurnRecord, dropResults: boolean): PromptPart[] {
  if (isNoPluginRecord(record)) {
    return [...humanParts(record.human, false), { text: answerText(record.answer), trusted: true }, ...TURN_CLOSE]
  }
  const block = dropResults ? MOSS_DROPPED_RESULTS : (record.resultsText ?? renderMossResults(record.results).text)
  return [
    ...humanParts(record.human, true),
    { text: thoughtAndCommandsText(record.thought ?? MOSS_NONE, record.commands ?? MOSS_NONE), trusted: true },
    ...resultsParts(block),
    { text: answerText(record.answer), trusted: true },
    ...TURN_CLOSE,
  ]
}
