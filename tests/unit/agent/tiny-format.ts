/**
 * A deliberately small dialogue format for agent tests, so the loop's mechanics (calls, continue, rewrite, halt,
 * rollback) can be exercised independently of MOSS's rules:
 *
 *   <sys>tools: Calc,Echo</sys>\n<user>{human}</user>\n<bot>[<call>Cmd(arg);Cmd(arg)</call><res>…</res>]{answer}</bot>\n
 *
 * `<call>None</call>` continues without results; an output containing `<user>` halts the stream.
 */
import type { GenerateOutcome, PromptPart } from '../../../src/backends/types.js'
import { neutraliseMarkers, USER_TEXT_NEUTRALISE_RULES } from '../../../src/formats/neutralise.js'
import type {
  DialogueFormat,
  FormatPlugins,
  GenerationStep,
  ScanEvent,
  StepDecision,
  StreamScanner,
  ToolCall,
  ToolResult,
  TurnDriver,
  TurnRecord,
} from '../../../src/formats/types.js'

const CALL_OPEN = '<call>'
const CALL_CLOSE = '</call>'
const BOT_CLOSE = '</bot>'
const HALT = '<user>'
const STOPS = [BOT_CLOSE, CALL_CLOSE]

const t = (text: string): PromptPart => ({ text, trusted: true })
const u = (text: string): PromptPart => ({ text: neutralise(text), trusted: false })

/**
 * Replaces `<` so untrusted text can never contain a marker of this format, after the common neutralisation every
 * format applies (a loaded session file is neutralised with it again).
 */
export function neutralise(text: string): string {
  return neutraliseMarkers(text, USER_TEXT_NEUTRALISE_RULES).replaceAll('<', '\u2039')
}

function heldPrefix(text: string, markers: readonly string[]): number {
  let hold = 0
  for (const marker of markers) {
    for (let n = Math.min(marker.length - 1, text.length); n > hold; n--) {
      if (text.endsWith(marker.slice(0, n))) hold = n
    }
  }
  return hold
}

function createScanner(): StreamScanner {
  let buffer = ''
  let inCommands = false
  const drain = (final: boolean): ScanEvent[] => {
    const events: ScanEvent[] = []
    if (buffer.includes(HALT)) {
      const before = buffer.slice(0, buffer.indexOf(HALT))
      if (before && !inCommands) events.push({ kind: 'answer', text: before })
      buffer = ''
      events.push({ kind: 'halt' })
      return events
    }
    if (!inCommands) {
      const at = buffer.indexOf(CALL_OPEN)
      if (at >= 0) {
        if (at > 0) events.push({ kind: 'answer', text: buffer.slice(0, at) })
        buffer = buffer.slice(at + CALL_OPEN.length)
        inCommands = true
      }
    }
    const hold = final ? 0 : heldPrefix(buffer, [CALL_OPEN, HALT])
    const out = buffer.slice(0, buffer.length - hold)
    buffer = buffer.slice(buffer.length - hold)
    if (out) events.push({ kind: inCommands ? 'commands' : 'answer', text: out })
    return events
  }
  return { push: (chunk) => ((buffer += chunk), drain(false)), end: () => drain(true) }
}

const step = (): GenerationStep => ({ stop: STOPS, scanner: createScanner() })

function parseCalls(text: string, plugins: FormatPlugins, next: () => string): { calls: ToolCall[]; rejected: ToolResult[] } {
  const calls: ToolCall[] = []
  const rejected: ToolResult[] = []
  for (const piece of text.split(';')) {
    const match = /^(\w+)\(([\s\S]*)\)$/.exec(piece.trim())
    if (!match) continue
    const call: ToolCall = { id: next(), command: match[1] ?? '', input: match[2] ?? '' }
    const plugin = plugins.find((p) => p.command === call.command && p.enabled)
    if (plugin) calls.push(call)
    else rejected.push({ call, ok: false, text: `unknown command ${call.command}` })
  }
  return { calls, rejected }
}

function renderResults(results: readonly ToolResult[]): PromptPart[] {
  const parts: PromptPart[] = [t('<res>')]
  for (const result of results) parts.push(t(result.ok ? '[ok]' : '[error]'), u(result.text))
  parts.push(t('</res>'))
  return parts
}

let callCounter = 0

/** Creates the tiny format. */
export function createTinyFormat(): DialogueFormat {
  return {
    name: 'tiny',
    renderSystem(plugins) {
      const enabled = plugins.filter((p) => p.enabled).map((p) => p.command)
      return [t(`<sys>tools: ${enabled.join(',') || 'none'}</sys>\n`)]
    },
    beginTurn(human, plugins) {
      let commands: string | undefined
      let results: ToolResult[] = []
      let answer = ''
      let pendingRejected: readonly ToolResult[] = []
      const driver: TurnDriver = {
        firstStep: step(),
        afterGeneration(text: string, outcome: GenerateOutcome): StepDecision {
          const at = text.indexOf(CALL_OPEN)
          if (outcome.reason === 'stop' && outcome.stop === CALL_CLOSE && at >= 0) {
            answer += text.slice(0, at)
            commands = text.slice(at + CALL_OPEN.length).trim()
            if (commands === 'None') return { type: 'continue', parts: [t('<res>none</res>')], step: step() }
            const parsed = parseCalls(commands, plugins, () => `call_${++callCounter}`)
            pendingRejected = parsed.rejected
            // Rewrites the commands span to its canonical spacing (exercises the agent's rewrite path).
            const canonical = `${text.slice(0, at)}${CALL_OPEN}${commands}${CALL_CLOSE}`
            return { type: 'calls', calls: parsed.calls, rejected: parsed.rejected, ...(canonical !== text + CALL_CLOSE ? { rewrite: canonical } : {}) }
          }
          if (at >= 0) {
            // An unterminated call (e.g. cut by the token limit): hand it over as calls, the agent decides.
            const parsed = parseCalls(text.slice(at + CALL_OPEN.length), plugins, () => `call_${++callCounter}`)
            return { type: 'calls', calls: parsed.calls, rejected: parsed.rejected }
          }
          answer += text
          const closing = outcome.reason === 'stop' && outcome.stop === BOT_CLOSE ? '\n' : `${BOT_CLOSE}\n`
          return { type: 'done', answer, parts: [t(closing)] }
        },
        results(ran) {
          results = [...ran, ...pendingRejected]
          return { parts: renderResults(results), step: step() }
        },
        record(): TurnRecord {
          return { human, ...(commands !== undefined ? { commands } : {}), results, answer }
        },
      }
      return { parts: [t('<user>'), u(human), t('</user>\n<bot>')], driver }
    },
    renderHistory(plugins, turns, options) {
      const parts = this.renderSystem(plugins)
      turns.forEach((turn, index) => {
        parts.push(t('<user>'), u(turn.human), t('</user>\n<bot>'))
        if (turn.commands !== undefined) {
          parts.push(t(`${CALL_OPEN}${turn.commands}${CALL_CLOSE}`))
          if (turn.commands === 'None') parts.push(t('<res>none</res>'))
          else if (options?.compressedResults?.has(index)) parts.push(t('<res>dropped</res>'))
          else parts.push(...renderResults(turn.results))
        }
        parts.push(t(`${turn.answer}${BOT_CLOSE}\n`))
      })
      return parts
    },
  }
}
