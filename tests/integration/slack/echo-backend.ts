/**
 * A model for the Slack tests built on the shared ScriptedBackend: before each generation it scripts the MOSS
 * output from the session's own transcript, so concurrent threads get answers that name their own question
 * (a misrouted reply is detectable) and the turn number (a restored thread says "turn 2").
 */
import type { GenerateRequest, ModelBackend, ModelSession, OpenSessionOptions, PromptPart } from 'moss-agent'
import { ScriptedBackend } from 'moss-agent/testing'
import type { ScriptedStep } from 'moss-agent/testing'

/** What the fake model writes for a question. */
export function echoAnswer(question: string, turn: number): string {
  return `echo(${question}) turn ${turn}`
}

/** Options: slow streaming, and hanging on a question (for shutdown tests). */
export interface EchoBackendOptions {
  readonly chunkDelayMs?: number
  /** Questions starting with this never finish until aborted. Defaults to `hang`. */
  readonly hangPrefix?: string
}

export function createEchoBackend(options: EchoBackendOptions = {}): ModelBackend & { readonly scripted: ScriptedBackend } {
  const scripted = new ScriptedBackend([], { chunkSize: 3 })
  const outputFor = (transcript: readonly PromptPart[], request: GenerateRequest): ScriptedStep => {
    const question = [...transcript].reverse().find((part) => !part.trusted)?.text.trim() ?? ''
    const turn = transcript.map((p) => p.text).join('').split('<|Human|>:').length - 1
    const delay = options.chunkDelayMs !== undefined ? { chunkDelayMs: options.chunkDelayMs } : {}
    if (request.stop.includes('<eoc>')) {
      const command = question.startsWith('draw ') ? `Text2Image("${question.slice(5)}")` : 'None'
      return { text: ` None<eot>\n<|Commands|>: ${command}<eoc>` }
    }
    if (question.startsWith(options.hangPrefix ?? 'hang')) return { text: ' partial answer', hang: true }
    return { text: ` ${echoAnswer(question, turn)}<eom>`, ...delay }
  }
  return {
    scripted,
    get description() {
      return 'echo model (tests)'
    },
    async open(openOptions?: OpenSessionOptions): Promise<ModelSession> {
      const inner = await scripted.open(openOptions)
      return {
        append: (parts) => inner.append(parts),
        reset: (parts) => inner.reset(parts),
        countTokens: (parts) => inner.countTokens(parts),
        get tokenCount() {
          return inner.tokenCount
        },
        get contextSize() {
          return inner.contextSize
        },
        get stats() {
          return inner.stats
        },
        saveState: (path) => inner.saveState(path),
        dispose: () => inner.dispose(),
        async *generate(request) {
          // Scripting and starting the inner generation happen in one synchronous step, so concurrent sessions
          // cannot take each other's output from the shared script.
          scripted.push(outputFor(inner.transcript, request))
          return yield* inner.generate(request)
        },
      }
    },
    dispose: () => scripted.dispose(),
  }
}
