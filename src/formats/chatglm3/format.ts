/**
 * ChatGLM3: role tokens `<|system|>` `<|user|>` `<|assistant|>` `<|observation|>`, each message written
 * `<|role|>{metadata}\n {content}` after the `[gMASK]sop` prefix. A tool call is an assistant message whose metadata
 * is the tool name and whose content is a fenced `tool_call(k=v, …)`; the result comes back as an observation.
 * Tools are listed as JSON (indent 4) after the system text. Generation stops at `<|user|>` or `<|observation|>`;
 * after a finished turn the transcript ends with `<|user|>` (the stop marker), which opens the next turn.
 */
import type { GenerateOutcome, PromptPart } from '../../prompt.js'
import { readPackageText } from '../../util/package-root.js'
import { resultText, validateCalls } from '../common/calls.js'
import { createTagScanner } from '../common/marker-scanner.js'
import { pythonJson } from '../common/py-json.js'
import { toolFunction } from '../common/tool-arguments.js'
import { createTurnLog } from '../common/turn-log.js'
import { neutraliseMarkers } from '../neutralise.js'
import { unescapePythonString } from '../python-repr.js'
import type { DialogueFormat, FormatOptions, FormatPlugins, GenerationStep, ScanEvent, StepDecision, StreamScanner, ToolResult, TurnDriver } from '../types.js'

/** ChatGLM3 markers, as data. */
export const CHATGLM3 = {
  prefix: '[gMASK]sop',
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  observation: '<|observation|>',
} as const

const STOPS = [CHATGLM3.user, CHATGLM3.observation]
const HALTS = [CHATGLM3.user, CHATGLM3.observation, CHATGLM3.assistant, CHATGLM3.system]

/** Scanner: the metadata line decides: empty → answer (after `\n `), a tool name → the whole message is a call. */
function glmScanner(): StreamScanner {
  let head = ''
  let inner: StreamScanner | undefined
  let skipSpace = false
  const feed = (chunk: string): ScanEvent[] => {
    if (inner) {
      if (skipSpace && chunk !== '') {
        skipSpace = false
        if (chunk.startsWith(' ')) chunk = chunk.slice(1)
      }
      return inner.push(chunk)
    }
    head += chunk
    const newline = head.indexOf('\n')
    if (newline === -1) return []
    const metadata = head.slice(0, newline).trim()
    inner = createTagScanner({ halt: HALTS }, metadata === '' ? 'answer' : 'commands')
    const rest = metadata === '' ? head.slice(newline + 1) : head
    skipSpace = metadata === ''
    head = ''
    return feed(rest)
  }
  return {
    push: feed,
    end() {
      if (inner) return inner.end()
      // No metadata line ever ended: the whole output is an answer (as afterGeneration reads it).
      const answer = createTagScanner({ halt: HALTS }, 'answer')
      inner = answer
      return [...answer.push(head), ...answer.end()]
    },
  }
}

function step(): GenerationStep {
  return { stop: STOPS, scanner: glmScanner() }
}

/** Reads `tool_call(a='x', b=2)` keyword arguments (Python literals). */
export function parseToolCallArguments(body: string): Record<string, unknown> {
  const call = /tool_call\s*\(([\s\S]*)\)/.exec(body)
  const args: Record<string, unknown> = {}
  if (!call) return args
  const pattern = /(\w+)\s*=\s*('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|[^,)]+)/g
  for (const m of (call[1] ?? '').matchAll(pattern)) {
    const raw = (m[2] ?? '').trim()
    const quoted = raw.startsWith("'") || raw.startsWith('"')
    const number = Number(raw)
    args[m[1] as string] = quoted ? unescapePythonString(raw.slice(1, -1)) : Number.isFinite(number) ? number : raw
  }
  return args
}

/** Creates the ChatGLM3 format. */
export function createChatGlm3Format(options: FormatOptions = {}): DialogueFormat {
  const system = readPackageText(options.language === 'zh' ? 'prompts/chatml-system.zh.txt' : 'prompts/chatml-system.en.txt')
  const userParts = (human: string, first: boolean): PromptPart[] => [
    { text: `${first ? CHATGLM3.user : ''}\n `, trusted: true },
    { text: neutraliseMarkers(human), trusted: false },
    { text: CHATGLM3.assistant, trusted: true },
  ]

  const beginTurn = (human: string, plugins: FormatPlugins, previous: number): { parts: PromptPart[]; driver: TurnDriver } => {
    const log = createTurnLog(human, previous)
    const driver: TurnDriver = {
      firstStep: step(),
      afterGeneration(text: string, outcome: GenerateOutcome): StepDecision {
        const newline = text.indexOf('\n')
        const metadata = newline === -1 ? '' : text.slice(0, newline).trim()
        const cut = (s: string) => HALTS.reduce((acc, m) => acc.split(m)[0] ?? '', s)
        if (metadata === '') {
          const answer = cut(newline === -1 ? text : text.slice(newline + 1)).replace(/^ /, '').trimEnd()
          log.answer = answer
          const canonical = `\n ${answer}${CHATGLM3.user}`
          const rewrite = outcome.reason === 'stop' && outcome.stop === CHATGLM3.user && `${text}${CHATGLM3.user}` === canonical ? undefined : canonical
          return { type: 'done', answer, parts: [], ...(rewrite !== undefined ? { rewrite } : {}) }
        }
        const body = cut(text).trimEnd()
        log.commands.push(body)
        const { calls, rejected } = validateCalls([{ name: metadata, arguments: parseToolCallArguments(body) }], plugins, log.nextId)
        log.holdRejected(rejected)
        const canonical = `${body}${CHATGLM3.observation}`
        log.rounds.push(canonical)
        const rewrite = outcome.reason === 'stop' && outcome.stop === CHATGLM3.observation && `${text}${CHATGLM3.observation}` === canonical ? undefined : canonical
        return { type: 'calls', calls, rejected, ...(rewrite !== undefined ? { rewrite } : {}) }
      },
      results(given: readonly ToolResult[]) {
        const all = log.collectResults(given)
        const parts: PromptPart[] = [
          { text: '\n ', trusted: true },
          { text: neutraliseMarkers(all.map(resultText).join('\n')), trusted: false },
          { text: CHATGLM3.assistant, trusted: true },
        ]
        log.rounds.push(parts.map((p) => p.text).join(''))
        return { parts, step: step() }
      },
      record: log.record,
    }
    return { parts: userParts(human, previous === 0), driver }
  }

  const format: DialogueFormat = {
    name: 'chatglm3',
    renderSystem(plugins: FormatPlugins): PromptPart[] {
      const enabled = plugins.filter((p) => p.enabled)
      const tools = enabled.length > 0 ? `\n${pythonJson(enabled.map(toolFunction), 4)}` : ''
      return [{ text: `${CHATGLM3.prefix}${CHATGLM3.system}\n ${system}${tools}`, trusted: true }]
    },
    beginTurn,
    renderHistory(plugins, turns) {
      const parts = format.renderSystem(plugins)
      turns.forEach((turn, index) => {
        parts.push(...userParts(turn.human, index === 0))
        if (turn.resultsText !== undefined) parts.push({ text: turn.resultsText, trusted: true })
        parts.push({ text: `\n ${turn.answer}${CHATGLM3.user}`, trusted: true })
      })
      return parts
    },
  }
  return format
}
