/**
 * Llama 3.1 / 3.2 with JSON tool calls, as their chat template writes them: a system header with
 * `Environment: ipython` and the date lines, the tools (`tojson(indent=4)`) inside the first user message, a call
 * as the whole assistant message `{"name": …, "parameters": {…}}<|eot_id|>`, results in `ipython` messages as JSON
 * values (a string result is JSON-quoted), messages trimmed. The template takes one call per message: several calls
 * written at once (`{…}; {…}`, as vLLM's llama3_json parser reads them) become consecutive call messages, each
 * followed by its result. A call is only read when the message starts with `{` or `<|python_tag|>` (vLLM); text
 * before a call cannot be kept (the template drops an assistant's content when it calls). On local models every
 * message offered tools is grammar-constrained from its first token: a call of an enabled tool with arguments of its
 * JSON Schema, or an answer (`call-grammar.ts`).
 */
import type { GenerateOutcome, PromptPart } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'
import { validateCalls, type RawToolCall } from '../common/calls.js'
import { COMMAND_ERRORS } from '../common/command-errors.js'
import { pythonJson } from '../common/py-json.js'
import { createRoundTracker, DEFAULT_MAX_TOOL_ROUNDS } from '../common/rounds.js'
import { readToolCallJson } from '../common/tool-call-json.js'
import { createTurnLog } from '../common/turn-log.js'
import { neutraliseMarkers } from '../neutralise.js'
import type { DialogueFormat, FormatOptions, FormatPlugins, GenerationStep, StepDecision, ToolCall, ToolResult, TurnDriver, TurnRecord } from '../types.js'
import { llama3CallSpan } from './call-grammar.js'
import { createLeadScanner } from './lead-scanner.js'

/** Llama 3 markers, as data. */
export const LLAMA3 = {
  bos: '<|begin_of_text|>',
  headerOpen: '<|start_header_id|>',
  headerClose: '<|end_header_id|>',
  eot: '<|eot_id|>',
  eom: '<|eom_id|>',
  pythonTag: '<|python_tag|>',
} as const
const L = LLAMA3

/** The key of a call's arguments, as the template writes it (`{"name": …, "parameters": {…}}`). */
export const LLAMA3_ARGUMENTS_KEY = 'parameters'

/** The date line's default: the fixed date of Llama 3.1's template (pass `date` for today's). */
export const LLAMA3_DEFAULT_DATE = '26 Jul 2024'

const TOOLS_INTRO =
  'Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n' +
  'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.Do not use variables.\n\n'

const header = (role: string): string => `${L.headerOpen}${role}${L.headerClose}\n\n`

function toolsBlock(enabled: readonly Plugin[]): string {
  const tools = enabled.map((p) => `${pythonJson({ type: 'function', function: { name: p.command, description: p.description, parameters: p.parameters } }, 4)}\n\n`)
  return `${TOOLS_INTRO}${tools.join('')}`
}

/** Splits `{…}; {…}` into the JSON texts of the calls (a `;` inside a string does not split). */
export function splitCallTexts(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let quote = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === '"') quote = false
    } else if (c === '"') quote = true
    else if (c === '{') depth++
    else if (c === '}') depth--
    else if (c === ';' && depth === 0) {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  out.push(text.slice(start))
  return out.map((s) => s.trim()).filter((s) => s !== '')
}

const callText = (call: RawToolCall): string => `{"name": "${call.name}", "${LLAMA3_ARGUMENTS_KEY}": ${pythonJson(call.arguments)}}`

/** A result as the template writes it: a string (iterable in Jinja) goes through `tojson`. */
const resultValue = (result: ToolResult): string => {
  const text = !result.ok ? (result.text.startsWith('Error: ') ? result.text : `Error: ${result.text}`) : result.text === '' && result.data !== undefined ? JSON.stringify(result.data) : result.text
  return pythonJson(text)
}

/** Creates the Llama 3 format. */
export function createLlama3Format(options: FormatOptions = {}): DialogueFormat {
  const date = options.date ?? LLAMA3_DEFAULT_DATE
  const maxRounds = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS
  const userParts = (human: string, tools: readonly Plugin[] | undefined): PromptPart[] => [
    { text: `${header('user')}${tools ? toolsBlock(tools) : ''}`, trusted: true },
    { text: neutraliseMarkers(human.trim()), trusted: false },
    { text: `${L.eot}${header('assistant')}`, trusted: true },
  ]
  const constrainCalls = options.constrainCommands !== false
  const spanMarkers = { header: header('assistant'), end: L.eot, pythonTag: L.pythonTag, argumentsKey: LLAMA3_ARGUMENTS_KEY }
  /** A generation; offered tools, its message is a constrained call or an answer (the last round's is free text). */
  const step = (tools: readonly Plugin[]): GenerationStep => {
    const constrain = constrainCalls ? llama3CallSpan(tools, spanMarkers) : undefined
    return { stop: [L.eot, L.eom], scanner: createLeadScanner(tools.length > 0), ...(constrain ? { constrain } : {}) }
  }

  const beginTurn = (human: string, plugins: FormatPlugins, previous: number): { parts: PromptPart[]; driver: TurnDriver } => {
    const enabled = plugins.filter((p) => p.enabled)
    const log = createTurnLog(human, previous)
    const rounds = createRoundTracker(maxRounds)
    let pending: string[] = []
    let pendingIds: string[] = []
    const driver: TurnDriver = {
      firstStep: step(enabled),
      afterGeneration(generated: string, outcome: GenerateOutcome): StepDecision {
        let content = generated
        for (const halt of [L.headerOpen, L.eot, L.eom]) {
          const at = content.indexOf(halt)
          if (at !== -1) content = content.slice(0, at)
        }
        content = content.trim()
        const asGenerated = outcome.reason === 'stop' && outcome.stop !== undefined ? generated + outcome.stop : generated
        const body = content.startsWith(L.pythonTag) ? content.slice(L.pythonTag.length).trim() : content
        if (enabled.length === 0 || rounds.toolsOver || !body.startsWith('{')) {
          const answer = content.startsWith(L.pythonTag) ? '' : content
          log.answer = answer
          const live = `${answer}${L.eot}`
          return { type: 'done', answer, parts: [], ...(live !== asGenerated ? { rewrite: live } : {}) }
        }
        const texts: string[] = []
        const ids: string[] = []
        const valid: ToolCall[] = []
        const refused: ToolResult[] = []
        for (const text of splitCallTexts(body)) {
          const read = readToolCallJson(text)
          if (read.ok) {
            const checked = validateCalls([{ name: read.name, arguments: read.arguments }], plugins, log.nextId)
            valid.push(...checked.calls)
            refused.push(...checked.rejected)
            ids.push((checked.calls[0] ?? checked.rejected[0]?.call)?.id ?? '')
            texts.push(callText(read))
          } else {
            const call: ToolCall = { id: log.nextId(), command: read.name ?? '', input: text }
            refused.push({ call, ok: false, text: COMMAND_ERRORS.invalidJson(read.reason, LLAMA3_ARGUMENTS_KEY) })
            ids.push(call.id)
            texts.push(text)
          }
        }
        const fresh = rounds.takeRound(valid)
        const rejected = [...refused, ...fresh.rejected]
        log.holdRejected(rejected)
        log.commands.push(texts.join('; '))
        pending = texts
        pendingIds = ids
        const live = `${texts[0] ?? ''}${L.eot}`
        return { type: 'calls', calls: fresh.calls, rejected, ...(live !== asGenerated ? { rewrite: live } : {}) }
      },
      results(given: readonly ToolResult[]) {
        const all = log.collectResults(given)
        // Results in the order the calls were written; calls after the first get their own call message.
        const position = (result: ToolResult): number => {
          const at = pendingIds.indexOf(result.call.id)
          return at === -1 ? Number.MAX_SAFE_INTEGER : at
        }
        const sorted = [...all].sort((a, b) => position(a) - position(b))
        const parts: PromptPart[] = []
        sorted.forEach((result, i) => {
          if (i > 0) parts.push({ text: `${header('assistant')}${pending[i] ?? ''}${L.eot}`, trusted: true })
          parts.push({ text: header('ipython'), trusted: true }, { text: neutraliseMarkers(resultValue(result)), trusted: false }, { text: L.eot, trusted: true })
        })
        parts.push({ text: header('assistant'), trusted: true })
        log.rounds.push(`${pending[0] ?? ''}${L.eot}${parts.map((p) => p.text).join('')}`)
        return { parts, step: step(rounds.toolsOver ? [] : enabled) }
      },
      record: (): TurnRecord => log.record(),
    }
    return { parts: userParts(human, previous === 0 && enabled.length > 0 ? enabled : undefined), driver }
  }

  const format: DialogueFormat = {
    name: 'llama3',
    bos: L.bos,
    renderSystem(plugins: FormatPlugins): PromptPart[] {
      const tools = plugins.some((p) => p.enabled) ? 'Environment: ipython\n' : ''
      const system = (options.system ?? '').trim()
      return [{ text: `${header('system')}${tools}Cutting Knowledge Date: December 2023\nToday Date: ${date}\n\n${system}${L.eot}`, trusted: true }]
    },
    beginTurn,
    renderHistory(plugins, turns) {
      const parts = format.renderSystem(plugins)
      const enabled = plugins.filter((p) => p.enabled)
      turns.forEach((turn, index) => {
        parts.push(...userParts(turn.human, index === 0 && enabled.length > 0 ? enabled : undefined))
        if (turn.resultsText !== undefined) parts.push({ text: turn.resultsText, trusted: true })
        parts.push({ text: `${turn.answer}${L.eot}`, trusted: true })
      })
      return parts
    },
  }
  return format
}
