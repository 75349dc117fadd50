/**
 * The tagged-call driver of the ChatML family (Qwen2.5/Qwen3/QwQ, Hermes-2/3): `<|im_start|>role\n…<|im_end|>`
 * messages, calls as `<tool_call>\n{"name": …, "arguments": …}\n</tool_call>` blocks. A format of the family is a
 * {@link ChatMlSpec}: its system block, how it writes tool results and whether it keeps reasoning and the text
 * written before calls. Several call rounds per turn (see `rounds.ts`); every assistant message is rewritten to the
 * exact text the model's template renders for it, so the transcript stays byte-identical to the template.
 */
import type { GenerateOutcome, PromptPart } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'
import { validateCalls, type RawToolCall } from '../common/calls.js'
import { toolCallSpan } from '../common/call-grammar.js'
import { COMMAND_ERRORS } from '../common/command-errors.js'
import { createTagScanner } from '../common/marker-scanner.js'
import { pythonJson } from '../common/py-json.js'
import { createRoundTracker } from '../common/rounds.js'
import { readToolCallJson } from '../common/tool-call-json.js'
import { createTurnLog } from '../common/turn-log.js'
import { neutraliseMarkers } from '../neutralise.js'
import type { DialogueFormat, FormatPlugins, GenerationStep, StepDecision, ToolCall, ToolResult, TurnDriver, TurnRecord } from '../types.js'

/** ChatML markers, as data. */
export const CHATML_MARKERS = {
  start: '<|im_start|>',
  end: '<|im_end|>',
  eos: '<|endoftext|>',
  callOpen: '<tool_call>',
  callClose: '</tool_call>',
  responseOpen: '<tool_response>',
  responseClose: '</tool_response>',
  thinkOpen: '<think>',
  thinkClose: '</think>',
} as const
const M = CHATML_MARKERS

/** What makes one format of the family. */
export interface ChatMlSpec {
  readonly name: string
  /** Text of the BOS token the template starts with (backends add the token themselves). */
  readonly bos?: string
  /** The system block for the enabled plugins, `<|im_end|>\n` included (may be empty). */
  system(enabled: readonly Plugin[]): string
  /** `true`: text written before calls stays in the call message (Qwen); `false`: the template drops it (Hermes). */
  readonly keepsTextWithCalls: boolean
  /** Qwen3: reasoning in `<think>` blocks, kept in the current turn and dropped from earlier turns. */
  readonly thinking: boolean
  /** Tool results, from right after the call message's `<|im_end|>` up to the next generation prompt. */
  results(texts: readonly string[]): PromptPart[]
  /** Most call rounds per turn. */
  readonly maxRounds: number
  /** Constrain calls with a grammar from the plugins' schemas where the backend supports it. */
  readonly constrainCalls: boolean
}

/** An assistant generation split into reasoning, text before calls, and the calls' raw bodies. */
interface Reading {
  readonly reasoning: string | undefined
  readonly text: string
  readonly bodies: readonly string[]
}

/** Splits a generation the way the Qwen3 template does (`split('</think>')`), then reads the call blocks. */
export function readAssistant(generated: string, thinking: boolean): Reading {
  let content = generated
  let reasoning: string | undefined
  for (const halt of [M.start, M.responseOpen, M.eos, M.end]) {
    const at = content.indexOf(halt)
    if (at !== -1) content = content.slice(0, at)
  }
  if (thinking && content.includes(M.thinkClose)) {
    const parts = content.split(M.thinkClose)
    reasoning = (parts[0] ?? '').replace(/\n+$/, '').split(M.thinkOpen).at(-1)?.replace(/^\n+/, '') ?? ''
    content = (parts.at(-1) ?? '').replace(/^\n+/, '')
  } else if (thinking && content.trimStart().startsWith(M.thinkOpen)) {
    // Unclosed reasoning (cut by the token limit): all of it is thought, nothing is called.
    return { reasoning: content.trimStart().slice(M.thinkOpen.length).replace(/^\n+/, '').trimEnd(), text: '', bodies: [] }
  }
  const segments = content.split(M.callOpen)
  const text = segments[0] ?? ''
  const bodies = segments.slice(1).map((segment) => {
    const close = segment.indexOf(M.callClose)
    // An unclosed block is read up to the next `<tool_call>` or the end (vLLM and Qwen-Agent recover it).
    return (close === -1 ? segment : segment.slice(0, close)).trim()
  })
  return { reasoning, text, bodies }
}

/** The canonical text of one call block. */
function callBlock(call: RawToolCall | { readonly body: string }): string {
  const json = 'body' in call ? call.body : `{"name": "${call.name}", "arguments": ${pythonJson(call.arguments)}}`
  return `${M.callOpen}\n${json}\n${M.callClose}`
}

function thinkBlock(reasoning: string): string {
  return `${M.thinkOpen}\n${reasoning.replace(/^\n+|\n+$/g, '')}\n${M.thinkClose}\n\n`
}

/** Creates a format of the family. */
export function createChatMlFamilyFormat(spec: ChatMlSpec): DialogueFormat & { readonly bos?: string; readonly rewritesHistory: boolean } {
  const userParts = (human: string): PromptPart[] => [
    { text: `${M.start}user\n`, trusted: true },
    { text: neutraliseMarkers(human), trusted: false },
    { text: `${M.end}\n${M.start}assistant\n`, trusted: true },
  ]
  const closeTurn: PromptPart[] = [{ text: '\n', trusted: true }]
  const step = (tools: boolean, enabled: readonly Plugin[]): GenerationStep => {
    const constrain = tools && spec.constrainCalls ? toolCallSpan(enabled, { open: M.callOpen, close: M.callClose, end: M.end }) : undefined
    return { ...stepWithout(tools), ...(constrain ? { constrain } : {}) }
  }
  const stepWithout = (tools: boolean): GenerationStep => ({
    stop: [M.end, M.eos],
    scanner: createTagScanner({
      ...(tools ? { open: M.callOpen, close: M.callClose, quietAfterCalls: true } : {}),
      ...(spec.thinking ? { think: { open: M.thinkOpen, close: M.thinkClose } } : {}),
      halt: [M.start, M.end, M.eos, M.responseOpen, ...(tools ? [] : [M.callOpen])],
    }),
  })

  const beginTurn = (human: string, plugins: FormatPlugins, previous: number): { parts: PromptPart[]; driver: TurnDriver } => {
    const log = createTurnLog(human, previous)
    const rounds = createRoundTracker(spec.maxRounds)
    const enabled = plugins.filter((p) => p.enabled)
    const withTools = enabled.length > 0
    const thoughts: string[] = []
    let pendingHistory = ''
    const driver: TurnDriver = {
      firstStep: step(withTools, enabled),
      afterGeneration(generated: string, outcome: GenerateOutcome): StepDecision {
        const reading = readAssistant(generated, spec.thinking)
        if (reading.reasoning) thoughts.push(reading.reasoning)
        const asGenerated = outcome.reason === 'stop' && outcome.stop !== undefined ? generated + outcome.stop : generated
        const toolsOffered = withTools && !rounds.toolsOver
        if (reading.bodies.length === 0 || !toolsOffered) {
          const answer = reading.text.trim()
          log.answer = answer
          // Qwen3 renders the final message of the turn with its (possibly empty) reasoning block.
          const live = `${spec.thinking ? thinkBlock(reading.reasoning ?? '') : ''}${answer}${M.end}`
          return { type: 'done', answer, parts: closeTurn, ...(live !== asGenerated ? { rewrite: live } : {}) }
        }
        const raws: RawToolCall[] = []
        const blocks: string[] = []
        const unreadable: ToolResult[] = []
        for (const body of reading.bodies) {
          const read = readToolCallJson(body)
          if (read.ok) {
            raws.push({ name: read.name, arguments: read.arguments })
            blocks.push(callBlock(read))
          } else {
            const call: ToolCall = { id: log.nextId(), command: read.name ?? '', input: body }
            unreadable.push({ call, ok: false, text: COMMAND_ERRORS.invalidJson(read.reason) })
            blocks.push(callBlock({ body }))
          }
        }
        const validated = validateCalls(raws, plugins, log.nextId)
        const fresh = rounds.takeRound(validated.calls)
        const rejected = [...unreadable, ...validated.rejected, ...fresh.rejected]
        log.holdRejected(rejected)
        const before = spec.keepsTextWithCalls && reading.text.trim() !== '' ? `${reading.text.trim()}\n` : ''
        const message = `${before}${blocks.join('\n')}${M.end}`
        log.commands.push(blocks.join('\n'))
        pendingHistory = message
        const live = `${spec.thinking && reading.reasoning ? thinkBlock(reading.reasoning) : ''}${message}`
        return { type: 'calls', calls: fresh.calls, rejected, ...(live !== asGenerated ? { rewrite: live } : {}) }
      },
      results(given: readonly ToolResult[]) {
        const all = log.collectResults(given)
        const parts = spec.results(all.map((result) => resultText(result)))
        log.rounds.push(pendingHistory + parts.map((p) => p.text).join(''))
        return { parts, step: step(withTools && !rounds.toolsOver, enabled) }
      },
      record(): TurnRecord {
        const record = log.record()
        return thoughts.length > 0 ? { ...record, thought: thoughts.join('\n\n') } : record
      },
    }
    return { parts: userParts(human), driver }
  }

  const format = {
    name: spec.name,
    ...(spec.bos !== undefined ? { bos: spec.bos } : {}),
    rewritesHistory: spec.thinking,
    renderSystem(plugins: FormatPlugins): PromptPart[] {
      const text = spec.system(plugins.filter((p) => p.enabled))
      return text === '' ? [] : [{ text, trusted: true }]
    },
    beginTurn,
    renderHistory(plugins: FormatPlugins, turns: readonly TurnRecord[], history?: { readonly compressedResults?: ReadonlySet<number> }): PromptPart[] {
      const parts = format.renderSystem(plugins)
      turns.forEach((turn, index) => {
        parts.push(...userParts(turn.human))
        if (turn.resultsText !== undefined) {
          const text = history?.compressedResults?.has(index) ? emptyResponses(turn.resultsText) : turn.resultsText
          parts.push({ text, trusted: true })
        }
        parts.push({ text: `${turn.answer}${M.end}`, trusted: true }, ...closeTurn)
      })
      return parts
    },
  }
  return format
}

/** The text a result shows the model: its text, the JSON of its data when the text is empty, or the error. */
function resultText(result: ToolResult): string {
  if (!result.ok) return result.text.startsWith('Error: ') ? result.text : `Error: ${result.text}`
  return result.text === '' && result.data !== undefined ? JSON.stringify(result.data) : result.text
}

/** Compressed history keeps the calls and empties the responses. */
function emptyResponses(text: string): string {
  return text.replace(/<tool_response>\n[\s\S]*?\n<\/tool_response>/g, `${M.responseOpen}\n\n${M.responseClose}`)
}

/** The tools list of the Qwen/Hermes system blocks: one `{"type": "function", …}` JSON per line. */
export function toolLines(enabled: readonly Plugin[]): string {
  return enabled
    .map((p) => `\n${pythonJson({ type: 'function', function: { name: p.command, description: p.description, parameters: p.parameters } })}`)
    .join('')
}
