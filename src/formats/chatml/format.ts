/**
 * ChatML with Hermes/Qwen2.5 `<tool_call>` tool calls: tools listed as JSON inside `<tools></tools>` in the system
 * turn, calls as `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>` in the assistant turn, results as
 * `<tool_response>` blocks grouped into one user turn (Qwen2.5's template), generation stopped at `<|im_end|>`.
 *
 * Records: `commands` holds the call texts of the turn, `resultsText` the exact transcript text of all call rounds
 * (assistant calls and tool responses), so history is rebuilt byte for byte.
 */
import type { GenerateOutcome, PromptPart } from '../../prompt.js'
import { readPackageText } from '../../util/package-root.js'
import { createTagScanner } from '../common/marker-scanner.js'
import { pythonJson } from '../common/py-json.js'
import { resultText, validateCalls, type RawToolCall } from '../common/calls.js'
import { toolFunction } from '../common/tool-arguments.js'
import { createTurnLog } from '../common/turn-log.js'
import { neutraliseMarkers } from '../neutralise.js'
import type { DialogueFormat, FormatOptions, FormatPlugins, GenerationStep, StepDecision, ToolResult, TurnDriver } from '../types.js'

/** ChatML markers, as data. */
export const CHATML = {
  start: '<|im_start|>',
  end: '<|im_end|>',
  eos: '<|endoftext|>',
  callOpen: '<tool_call>',
  callClose: '</tool_call>',
  responseOpen: '<tool_response>',
  responseClose: '</tool_response>',
} as const

const STOPS = [CHATML.end, CHATML.eos]

function step(): GenerationStep {
  return {
    stop: STOPS,
    scanner: createTagScanner({ open: CHATML.callOpen, close: CHATML.callClose, halt: [CHATML.start, CHATML.end, CHATML.eos, CHATML.responseOpen] }),
  }
}

/** Reads the `<tool_call>` blocks of an assistant message; malformed JSON becomes a call named `invalid_json`. */
export function parseToolCallBlocks(text: string): { calls: RawToolCall[]; rest: string } {
  const calls: RawToolCall[] = []
  let rest = ''
  let at = 0
  while (true) {
    const open = text.indexOf(CHATML.callOpen, at)
    if (open === -1) break
    const close = text.indexOf(CHATML.callClose, open)
    const body = text.slice(open + CHATML.callOpen.length, close === -1 ? undefined : close).trim()
    rest += text.slice(at, open)
    try {
      const value = JSON.parse(body) as { name?: unknown; arguments?: unknown }
      calls.push({ name: typeof value.name === 'string' ? value.name : 'invalid_json', arguments: value.arguments ?? {} })
    } catch {
      calls.push({ name: 'invalid_json', arguments: body })
    }
    at = close === -1 ? text.length : close + CHATML.callClose.length
  }
  return { calls, rest: rest + text.slice(at) }
}

/** Creates the ChatML/Hermes format. */
export function createChatMlFormat(options: FormatOptions = {}): DialogueFormat {
  const system = readPackageText(options.language === 'zh' ? 'prompts/chatml-system.zh.txt' : 'prompts/chatml-system.en.txt')
  const toolsTemplate = readPackageText('prompts/chatml-tools.txt')
  const userParts = (human: string): PromptPart[] => [
    { text: `${CHATML.start}user\n`, trusted: true },
    { text: neutraliseMarkers(human), trusted: false },
    { text: `${CHATML.end}\n${CHATML.start}assistant\n`, trusted: true },
  ]
  const closeTurn: PromptPart[] = [{ text: '\n', trusted: true }]

  const beginTurn = (human: string, plugins: FormatPlugins, previous: number): { parts: PromptPart[]; driver: TurnDriver } => {
    const log = createTurnLog(human, previous)
    const driver: TurnDriver = {
      firstStep: step(),
      afterGeneration(text: string, outcome: GenerateOutcome): StepDecision {
        const parsed = parseToolCallBlocks(text)
        const clean = parsed.rest.split(CHATML.start)[0]?.split(CHATML.responseOpen)[0] ?? ''
        const stoppedRight = outcome.reason === 'stop' && outcome.stop === CHATML.end
        if (parsed.calls.length === 0) {
          const answer = clean.trim()
          log.answer = answer
          const rewrite = stoppedRight && text === answer ? undefined : `${answer}${CHATML.end}`
          return { type: 'done', answer, parts: closeTurn, ...(rewrite !== undefined ? { rewrite } : {}) }
        }
        const { calls, rejected } = validateCalls(parsed.calls, plugins, log.nextId)
        log.holdRejected(rejected)
        const callsText = text.slice(0, text.lastIndexOf(CHATML.callClose) + CHATML.callClose.length)
        log.commands.push(callsText)
        const rewrite = stoppedRight && callsText === text ? undefined : `${callsText}${CHATML.end}`
        log.rounds.push(`${callsText}${CHATML.end}`)
        return { type: 'calls', calls, rejected, ...(rewrite !== undefined ? { rewrite } : {}) }
      },
      results(given: readonly ToolResult[]) {
        const all = log.collectResults(given)
        const parts: PromptPart[] = [{ text: `\n${CHATML.start}user`, trusted: true }]
        for (const result of all) {
          parts.push({ text: `\n${CHATML.responseOpen}\n`, trusted: true }, { text: neutraliseMarkers(resultText(result)), trusted: false }, { text: `\n${CHATML.responseClose}`, trusted: true })
        }
        parts.push({ text: `${CHATML.end}\n${CHATML.start}assistant\n`, trusted: true })
        log.rounds.push(parts.map((p) => p.text).join(''))
        return { parts, step: step() }
      },
      record: log.record,
    }
    return { parts: userParts(human), driver }
  }

  const format: DialogueFormat = {
    name: 'chatml',
    renderSystem(plugins: FormatPlugins): PromptPart[] {
      const enabled = plugins.filter((p) => p.enabled)
      if (enabled.length === 0) return [{ text: `${CHATML.start}system\n${system}${CHATML.end}\n`, trusted: true }]
      const tools = enabled.map((p) => `\n${pythonJson({ type: 'function', function: toolFunction(p) })}`).join('')
      return [{ text: `${CHATML.start}system\n${system}${toolsTemplate.replace('{tools}', tools)}${CHATML.end}\n`, trusted: true }]
    },
    beginTurn,
    renderHistory(plugins, turns, history) {
      const parts = format.renderSystem(plugins)
      turns.forEach((turn, index) => {
        parts.push(...userParts(turn.human))
        // Compressed turns keep their calls but lose the tool output: an empty response per call.
        if (turn.resultsText !== undefined) {
          parts.push({ text: history?.compressedResults?.has(index) ? compressRounds(turn.resultsText) : turn.resultsText, trusted: true })
        }
        parts.push({ text: `${turn.answer}${CHATML.end}`, trusted: true }, ...closeTurn)
      })
      return parts
    },
  }
  return format
}

function compressRounds(text: string): string {
  return text.replace(/<tool_response>\n[\s\S]*?\n<\/tool_response>/g, `${CHATML.responseOpen}\n\n${CHATML.responseClose}`)
}
