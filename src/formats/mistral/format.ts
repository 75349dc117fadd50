/**
 * Mistral v0.3 (Mistral-7B-Instruct-v0.3 and the v3-tokenizer tool-calling family), as its chat template and
 * Mistral's own tokenizer (mistral-common, `InstructTokenizerV3`) write it: `[INST] …[/INST]` user messages, the
 * tools as `[AVAILABLE_TOOLS] [...][/AVAILABLE_TOOLS]` before the last user message only, the system message folded
 * into the last user message (`system\n\nuser`), answers as ` text</s>`, calls as
 * `[TOOL_CALLS] [{"name": …, "arguments": …, "id": "<9 alphanumerics>"}]</s>` and each result as
 * `[TOOL_RESULTS] {"content": …, "call_id": "…"}[/TOOL_RESULTS]`, the next generation following directly.
 *
 * Because the tools block and the system message move to each new user message, the history is re-rendered at the
 * start of every turn (`rewritesHistory`). Within a turn the system message stays in the user message through the
 * tool rounds (mistral-common; the Jinja template drops it once the user message is no longer the last message —
 * following it would re-evaluate the turn after every call). Text the model writes before `[TOOL_CALLS]` is shown
 * but cannot be kept (the template drops it, mistral-common refuses it). Where the template writes a string without
 * JSON escaping (a tool description, a result's content) this format writes mistral-common's JSON; both agree
 * whenever no escaping is needed (docs/formats.md).
 */
import { createHash } from 'node:crypto'
import { FormatError } from '../../errors.js'
import type { ConstrainedSpan, GenerateOutcome, PromptPart } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'
import { validateCalls, type RawToolCall } from '../common/calls.js'
import { gbnfLiteral } from '../common/call-grammar.js'
import { COMMAND_ERRORS } from '../common/command-errors.js'
import { createTagScanner } from '../common/marker-scanner.js'
import { pythonJson } from '../common/py-json.js'
import { createRoundTracker, DEFAULT_MAX_TOOL_ROUNDS } from '../common/rounds.js'
import { createTurnLog } from '../common/turn-log.js'
import { DEFAULT_NEUTRALISE_RULES, neutraliseMarkers, type NeutraliseRules } from '../neutralise.js'
import type { DialogueFormat, FormatOptions, FormatPlugins, GenerationStep, ScanEvent, StepDecision, StreamScanner, ToolCall, ToolResult, TurnDriver, TurnRecord } from '../types.js'
import { readMistralOutput, TOOL_CALLS } from './read-calls.js'

/** Mistral v0.3 control tokens, as data. */
export const MISTRAL_MARKERS = {
  bos: '<s>',
  eos: '</s>',
  instOpen: '[INST]',
  instClose: '[/INST]',
  toolsOpen: '[AVAILABLE_TOOLS]',
  toolsClose: '[/AVAILABLE_TOOLS]',
  toolCalls: TOOL_CALLS,
  resultsOpen: '[TOOL_RESULTS]',
  resultsClose: '[/TOOL_RESULTS]',
} as const
const M = MISTRAL_MARKERS

/**
 * Untrusted text neutralises every format's markers plus Mistral's control tokens (`[INST]`, `[TOOL_CALLS]`, `</s>`,
 * `[control_N]`, …): brackets become look-alikes, so the text stays readable and can never close a message.
 */
export const MISTRAL_NEUTRALISE_RULES: NeutraliseRules = {
  literals: [
    ...DEFAULT_NEUTRALISE_RULES.literals,
    ...Object.values(M).map((marker) => marker.toLowerCase()),
    '<unk>',
    '[prefix]',
    '[suffix]',
    '[middle]',
  ],
  families: [...DEFAULT_NEUTRALISE_RULES.families, { open: '[control_', close: ']', maxInner: 4 }],
}

const untrusted = (text: string): string => neutraliseMarkers(text, MISTRAL_NEUTRALISE_RULES)

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * The 9-character alphanumeric id Mistral's template requires for a call, derived from the session-unique call id
 * (`call_1_2`), so a transcript re-rendered from records carries the same ids.
 */
export function mistralCallId(callId: string): string {
  const digest = createHash('sha256').update(callId).digest()
  let id = ''
  for (let i = 0; i < 9; i++) id += ALPHANUMERIC[(digest[i] ?? 0) % ALPHANUMERIC.length]
  return id
}

/** A tool of the `[AVAILABLE_TOOLS]` list, keys in the order the template writes them. */
function toolJson(plugin: Plugin): string {
  return `{"type": "function", "function": {"name": ${pythonJson(plugin.command)}, "description": ${pythonJson(plugin.description)}, "parameters": ${pythonJson(plugin.parameters)}}}`
}

/** The tools block of the last user message. */
export function availableTools(enabled: readonly Plugin[]): string {
  return enabled.length === 0 ? '' : `${M.toolsOpen} [${enabled.map(toolJson).join(', ')}]${M.toolsClose}`
}

/**
 * A result's `content` as mistral-common writes it: the result's JSON value when its text is JSON (`1081`, an
 * object), else the text as a JSON string. A JSON number keeps its digits (no float round trip).
 */
export function resultContent(result: ToolResult): string {
  return contentJson(!result.ok ? (result.text.startsWith('Error: ') ? result.text : `Error: ${result.text}`) : result.text === '' && result.data !== undefined ? JSON.stringify(result.data) : result.text)
}

/** The `content` JSON of a result text (see {@link resultContent}). */
export function contentJson(text: string): string {
  const trimmed = text.trim()
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return trimmed
  if (/^[[{"]|^(true|false|null)$/.test(trimmed)) {
    try {
      return pythonJson(JSON.parse(trimmed) as unknown)
    } catch {
      // Not JSON after all: a string.
    }
  }
  return pythonJson(text)
}

/** The canonical text of a call in the `[TOOL_CALLS]` list. */
const callJson = (call: RawToolCall, id: string): string => `{"name": ${pythonJson(call.name)}, "arguments": ${pythonJson(call.arguments)}, "id": "${id}"}`

/** Most calls a constrained list holds (each position writes its own id). */
export const MAX_CONSTRAINED_CALLS = 8

/**
 * The constrained span of a call list: after `[TOOL_CALLS]` the grammar makes the model write
 * ` [{"name": "<a tool>", "arguments": <JSON of that tool's schema>, "id": "<id>"}, …]` and `</s>`. The ids are
 * those the calls will get (`ids[k]` for the k-th), so the generated list is already the history's text: nothing is
 * rewritten and the KV cache stays as generated.
 */
export function mistralCallSpan(enabled: readonly Plugin[], ids: readonly string[]): ConstrainedSpan | undefined {
  if (enabled.length === 0 || ids.length === 0) return undefined
  const choices = enabled.map((plugin, i) => `${gbnfLiteral(`{"name": ${pythonJson(plugin.command)}, "arguments": `)} args-${i}`).join(' | ')
  const calls = ids.map((id, k) => `call-${k} ::= ( ${choices} ) ${gbnfLiteral(`, "id": "${id}"}`)}${k + 1 < ids.length ? ` ( ${gbnfLiteral(', ')} call-${k + 1} )?` : ''}`)
  const gbnf = [`root ::= ${gbnfLiteral(' [')} call-0 ${gbnfLiteral(`]${M.eos}`)}`, ...calls].join('\n')
  return { trigger: M.toolCalls, gbnf: `${gbnf}\n`, jsonSchemas: Object.fromEntries(enabled.map((plugin, i) => [`args-${i}`, plugin.parameters])) }
}

/**
 * The space before an answer is the separator the template writes after `[/INST]` (SentencePiece's word start), not
 * the answer's text: it is not streamed, as it is not in the answer.
 */
function withoutLeadingSpace(scanner: StreamScanner): StreamScanner {
  let started = false
  const strip = (events: ScanEvent[]): ScanEvent[] =>
    events.flatMap((event) => {
      if (started || event.kind !== 'answer') return [event]
      const text = event.text.replace(/^\s+/, '')
      if (text === '') return []
      started = true
      return [{ kind: 'answer', text }]
    })
  return { push: (chunk) => strip(scanner.push(chunk)), end: () => strip(scanner.end()) }
}

/** Compressed history keeps the calls and empties the results. */
function emptyResults(text: string): string {
  return text.replace(/\[TOOL_RESULTS\] \{"content": [\s\S]*?, "call_id": "([A-Za-z0-9]{9})"\}\[\/TOOL_RESULTS\]/g, `${M.resultsOpen} {"content": "", "call_id": "$1"}${M.resultsClose}`)
}

/**
 * The template refuses call ids that are not 9 characters and messages that do not alternate; this format writes
 * neither itself, but a record written by another format (a session file loaded with `format: 'mistral'`) would
 * render a prompt Mistral's template never produces: a {@link FormatError} instead of a silently different prompt.
 */
function checkRecordedRounds(turn: TurnRecord, index: number): void {
  const text = turn.resultsText
  if (text === undefined) return
  // Result contents are neutralised, so `}[/TOOL_RESULTS]` only ends a result; its call_id is the call's id.
  const ids = [...text.matchAll(/"call_id": "([^"]*)"\}\[\/TOOL_RESULTS\]/g)].map((m) => m[1] ?? '')
  if (!text.startsWith(`${M.toolCalls} [`) || !ids.every((id) => /^[A-Za-z0-9]{9}$/.test(id))) {
    throw new FormatError(`Turn ${index + 1} of the history holds tool calls not written by the mistral format (Mistral needs [TOOL_CALLS] lists with 9-character alphanumeric ids)`)
  }
}

/** Creates the Mistral v0.3 format. */
export function createMistralFormat(options: FormatOptions = {}): DialogueFormat {
  const maxRounds = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS
  const constrainCalls = options.constrainCommands !== false
  /** A user message; the last one carries the tools and the system message. */
  const userParts = (human: string, last: { readonly tools: readonly Plugin[] } | undefined): PromptPart[] => [
    { text: `${last ? availableTools(last.tools) : ''}${M.instOpen} ${last && options.system !== undefined ? `${options.system}\n\n` : ''}`, trusted: true },
    { text: untrusted(human), trusted: false },
    { text: M.instClose, trusted: true },
  ]
  const step = (tools: readonly Plugin[], ids: readonly string[]): GenerationStep => {
    const constrain = tools.length > 0 && constrainCalls ? mistralCallSpan(tools, ids) : undefined
    return {
      stop: [M.eos],
      scanner: withoutLeadingSpace(createTagScanner({
        ...(tools.length > 0 ? { open: M.toolCalls } : {}),
        halt: [M.instOpen, M.instClose, M.resultsOpen, M.resultsClose, M.toolsOpen, M.toolsClose, M.eos, M.bos, ...(tools.length > 0 ? [] : [M.toolCalls])],
      })),
      ...(constrain ? { constrain } : {}),
    }
  }

  const beginTurn = (human: string, plugins: FormatPlugins, previous: number): { parts: PromptPart[]; driver: TurnDriver } => {
    const enabled = plugins.filter((p) => p.enabled)
    const log = createTurnLog(human, previous)
    const rounds = createRoundTracker(maxRounds)
    let pending = ''
    let order: string[] = []
    const driver: TurnDriver = {
      firstStep: step(enabled, log.upcomingIds(MAX_CONSTRAINED_CALLS).map(mistralCallId)),
      afterGeneration(generated: string, outcome: GenerateOutcome): StepDecision {
        let content = generated
        for (const halt of [M.eos, M.instOpen, M.resultsOpen]) {
          const at = content.indexOf(halt)
          if (at !== -1) content = content.slice(0, at)
        }
        const reading = readMistralOutput(content)
        const asGenerated = outcome.reason === 'stop' && outcome.stop !== undefined ? generated + outcome.stop : generated
        if (!reading.called || enabled.length === 0 || rounds.toolsOver) {
          const answer = reading.text.trim()
          log.answer = answer
          const live = ` ${answer}${M.eos}`
          return { type: 'done', answer, parts: [], ...(live !== asGenerated ? { rewrite: live } : {}) }
        }
        const written: string[] = []
        const ids: string[] = []
        const valid: ToolCall[] = []
        const refused: ToolResult[] = []
        for (const item of reading.items) {
          if (item.read.ok) {
            const raw = { name: item.read.name, arguments: item.read.arguments }
            const checked = validateCalls([raw], plugins, log.nextId)
            valid.push(...checked.calls)
            refused.push(...checked.rejected)
            const id = (checked.calls[0] ?? checked.rejected[0]?.call)?.id ?? ''
            ids.push(id)
            written.push(callJson(raw, mistralCallId(id)))
          } else {
            const call: ToolCall = { id: log.nextId(), command: item.read.name ?? '', input: item.text }
            refused.push({ call, ok: false, text: COMMAND_ERRORS.invalidJson(item.read.reason) })
            ids.push(call.id)
            written.push(item.text)
          }
        }
        const fresh = rounds.takeRound(valid)
        const rejected = [...refused, ...fresh.rejected]
        log.holdRejected(rejected)
        const list = `[${written.join(', ')}]`
        log.commands.push(list)
        pending = `${M.toolCalls} ${list}${M.eos}`
        order = ids
        return { type: 'calls', calls: fresh.calls, rejected, ...(pending !== asGenerated ? { rewrite: pending } : {}) }
      },
      results(given: readonly ToolResult[]) {
        const all = log.collectResults(given)
        const position = (result: ToolResult): number => {
          const at = order.indexOf(result.call.id)
          return at === -1 ? Number.MAX_SAFE_INTEGER : at
        }
        const parts: PromptPart[] = []
        for (const result of [...all].sort((a, b) => position(a) - position(b))) {
          parts.push(
            { text: `${M.resultsOpen} {"content": `, trusted: true },
            { text: untrusted(resultContent(result)), trusted: false },
            { text: `, "call_id": "${mistralCallId(result.call.id)}"}${M.resultsClose}`, trusted: true },
          )
        }
        log.rounds.push(pending + parts.map((p) => p.text).join(''))
        return { parts, step: step(rounds.toolsOver ? [] : enabled, log.upcomingIds(MAX_CONSTRAINED_CALLS).map(mistralCallId)) }
      },
      record: (): TurnRecord => log.record(),
    }
    return { parts: userParts(human, { tools: enabled }), driver }
  }

  const format: DialogueFormat = {
    name: 'mistral',
    bos: M.bos,
    rewritesHistory: true,
    renderSystem: () => [],
    beginTurn,
    renderHistory(_plugins, turns, history) {
      // History is what precedes a new user message: no turn is the last one, none carries tools or the system.
      const parts: PromptPart[] = []
      turns.forEach((turn, index) => {
        checkRecordedRounds(turn, index)
        parts.push(...userParts(turn.human, undefined))
        if (turn.resultsText !== undefined) parts.push({ text: history?.compressedResults?.has(index) ? emptyResults(turn.resultsText) : turn.resultsText, trusted: true })
        parts.push({ text: ` ${turn.answer}${M.eos}`, trusted: true })
      })
      return parts
    },
  }
  return format
}
