/**
 * The driver of the GLM formats (GLM-4 and ChatGLM3): role tokens `<|system|>` `<|user|>` `<|assistant|>`
 * `<|observation|>`, each message written `<|role|>{metadata}\n{content}`, no end-of-message token — the next role
 * token ends a message, so the model stops at `<|user|>` (answer) or `<|observation|>` (calls), and that stop marker
 * stays in the transcript as the opening of the next message. A call is an assistant message whose metadata is the
 * tool name; its content is the arguments (GLM-4: JSON; ChatGLM3: a fenced `tool_call(…)`); each result comes back
 * as an observation message.
 *
 * A first line that cannot name a tool (a sentence) makes the message text, as GLM-4's later server reads it.
 *
 * One generation may hold several messages (`<|assistant|>` is not a stop token). As THUDM's `process_response`
 * reads it, the last message decides: when it is a call, the call runs (with the calls written right before it when
 * the format takes several, GLM-4) and the text messages before it stay as they were written; when it is text, the
 * turn is answered with the text. Every message is rewritten to the exact text the template renders for it.
 */
import type { ConstrainedSpan, GenerateOutcome, PromptPart } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'
import { validateCalls, resultText, type RawToolCall } from '../common/calls.js'
import { createRoundTracker } from '../common/rounds.js'
import { createTurnLog } from '../common/turn-log.js'
import { neutraliseMarkers } from '../neutralise.js'
import type { DialogueFormat, FormatPlugins, GenerationStep, StepDecision, ToolCall, ToolResult, TurnDriver, TurnRecord } from '../types.js'
import { createGlmScanner, isToolName } from './scanner.js'

/** The role tokens, as data. */
export const GLM_ROLES = {
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  observation: '<|observation|>',
} as const
const R = GLM_ROLES

/** How a format of the family reads a call's content. */
export type ReadCall = (name: string, content: string) => { readonly ok: true; readonly arguments: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly error: string }

/** What makes one format of the family. */
export interface GlmSpec {
  readonly name: string
  /** The prefix tokens' text: `[gMASK]<sop>` (GLM-4) or `[gMASK]sop` (ChatGLM3). */
  readonly prefix: string
  /** Between a message's `\n` and its content: `''` (GLM-4) or `' '` (ChatGLM3, SentencePiece's dummy prefix). */
  readonly lead: string
  /** The system messages for the enabled plugins (role tokens included; may be empty). */
  system(enabled: readonly Plugin[]): string
  /** Reads a call's arguments, or says why they cannot be read (the model sees that error). */
  readonly readCall: ReadCall
  /** `true`: consecutive call messages at the end of a generation all run (GLM-4); `false`: only the last (ChatGLM3). */
  readonly severalCalls: boolean
  /** The grammar of a generation offered tools, when the format constrains calls. */
  constrain?(enabled: readonly Plugin[]): ConstrainedSpan | undefined
  /** Most call rounds per turn. */
  readonly maxRounds: number
  /** Markers besides the role tokens that end the output (GLM-4's `<|endoftext|>`). */
  readonly extraHalts?: readonly string[]
}

/** One message of a generation. */
interface Segment {
  readonly metadata: string
  readonly content: string
}

/** Splits a generation into its messages, as THUDM's `process_response` does (up to the first halting marker). */
export function readSegments(generated: string, halts: readonly string[]): Segment[] {
  let text = generated
  for (const halt of halts) {
    const at = text.indexOf(halt)
    if (at !== -1) text = text.slice(0, at)
  }
  return text.split(R.assistant).map((part) => {
    const newline = part.indexOf('\n')
    const metadata = newline === -1 ? '' : part.slice(0, newline).trim()
    return metadata === '' || !isToolName(metadata) ? { metadata: '', content: part.trim() } : { metadata, content: part.slice(newline + 1).trim() }
  })
}

/** Creates a format of the family. */
export function createGlmFamilyFormat(spec: GlmSpec): DialogueFormat {
  const halts = [R.user, R.observation, R.system, '[gMASK]', ...(spec.extraHalts ?? [])]
  const message = (metadata: string, content: string): string => `${metadata}\n${spec.lead}${content}`
  const userParts = (human: string, first: boolean): PromptPart[] => [
    { text: `${first ? R.user : ''}\n${spec.lead}`, trusted: true },
    { text: neutraliseMarkers(human), trusted: false },
    { text: R.assistant, trusted: true },
  ]
  const step = (tools: boolean, enabled: readonly Plugin[]): GenerationStep => {
    const constrain = tools ? spec.constrain?.(enabled) : undefined
    return { stop: [R.user, R.observation], scanner: createGlmScanner({ assistant: R.assistant, halt: halts }), ...(constrain ? { constrain } : {}) }
  }

  const beginTurn = (human: string, plugins: FormatPlugins, previous: number): { parts: PromptPart[]; driver: TurnDriver } => {
    const log = createTurnLog(human, previous)
    const rounds = createRoundTracker(spec.maxRounds)
    const enabled = plugins.filter((p) => p.enabled)
    let order: string[] = []
    let pendingHistory = ''
    const driver: TurnDriver = {
      firstStep: step(enabled.length > 0, enabled),
      afterGeneration(generated: string, outcome: GenerateOutcome): StepDecision {
        const segments = readSegments(generated, halts)
        const asGenerated = outcome.reason === 'stop' && outcome.stop !== undefined ? generated + outcome.stop : generated
        const toolsOffered = enabled.length > 0 && !rounds.toolsOver
        const last = segments.at(-1)
        if (!toolsOffered || last === undefined || last.metadata === '') {
          // Answered: the text the user saw (every text message), as one message closed by the next `<|user|>`.
          const answer = segments.filter((s) => s.metadata === '' && s.content !== '').map((s) => s.content).join('\n')
          log.answer = answer
          const live = `${message('', answer)}${R.user}`
          return { type: 'done', answer, parts: [], ...(live !== asGenerated ? { rewrite: live } : {}) }
        }
        let first = segments.length - 1
        while (spec.severalCalls && first > 0 && (segments[first - 1]?.metadata ?? '') !== '') first--
        const texts = segments.slice(0, first).filter((s) => s.metadata === '' && s.content !== '')
        const callSegments = segments.slice(first)
        const raws: RawToolCall[] = []
        const unreadable: ToolResult[] = []
        const ids: string[] = []
        for (const segment of callSegments) {
          const read = spec.readCall(segment.metadata, segment.content)
          if (read.ok) {
            raws.push({ name: segment.metadata, arguments: read.arguments })
            ids.push('')
          } else {
            const call: ToolCall = { id: log.nextId(), command: segment.metadata, input: segment.content }
            unreadable.push({ call, ok: false, text: read.error })
            ids.push(call.id)
          }
        }
        const validated = validateCalls(raws, plugins, log.nextId)
        // The ids of the readable calls, in the order the model wrote them (results come back in that order).
        const readable = [...validated.calls, ...validated.rejected.map((r) => r.call)].sort((a, b) => idNumber(a.id) - idNumber(b.id))
        order = ids.map((id) => (id === '' ? (readable.shift()?.id ?? '') : id))
        const fresh = rounds.takeRound(validated.calls)
        const rejected = [...unreadable, ...validated.rejected, ...fresh.rejected]
        log.holdRejected(rejected)
        const messages = [...texts.map((s) => message('', s.content)), ...callSegments.map((s) => message(s.metadata, s.content))]
        const live = `${messages.join(R.assistant)}${R.observation}`
        log.commands.push(callSegments.map((s) => message(s.metadata, s.content)).join(R.assistant))
        pendingHistory = live
        return { type: 'calls', calls: fresh.calls, rejected, ...(live !== asGenerated ? { rewrite: live } : {}) }
      },
      results(given: readonly ToolResult[]) {
        const all = log.collectResults(given)
        const position = (result: ToolResult): number => {
          const at = order.indexOf(result.call.id)
          return at === -1 ? Number.MAX_SAFE_INTEGER : at
        }
        const parts: PromptPart[] = []
        ;[...all]
          .sort((a, b) => position(a) - position(b))
          .forEach((result, i) => {
            parts.push({ text: `${i > 0 ? R.observation : ''}\n${spec.lead}`, trusted: true }, { text: neutraliseMarkers(resultText(result)), trusted: false })
          })
        parts.push({ text: R.assistant, trusted: true })
        log.rounds.push(pendingHistory + parts.map((p) => p.text).join(''))
        return { parts, step: step(enabled.length > 0 && !rounds.toolsOver, enabled) }
      },
      record: (): TurnRecord => log.record(),
    }
    return { parts: userParts(human, previous === 0), driver }
  }

  const format: DialogueFormat = {
    name: spec.name,
    renderSystem(plugins: FormatPlugins): PromptPart[] {
      return [{ text: `${spec.prefix}${spec.system(plugins.filter((p) => p.enabled))}`, trusted: true }]
    },
    beginTurn,
    renderHistory(plugins, turns) {
      const parts = format.renderSystem(plugins)
      turns.forEach((turn, index) => {
        parts.push(...userParts(turn.human, index === 0))
        if (turn.resultsText !== undefined) parts.push({ text: turn.resultsText, trusted: true })
        parts.push({ text: `${message('', turn.answer)}${R.user}`, trusted: true })
      })
      return parts
    },
  }
  return format
}

/** The `n` of a `call_<turn>_<n>` id. */
function idNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('_') + 1))
}
