/**
 * A scripted MOSS model whose answers name their own question and turn number, so a reply routed to the wrong
 * session or the wrong client is detectable. Built on the shared ScriptedBackend: before each generation it scripts
 * the output from the session's own transcript. Questions starting with `calc ` call the calculator
 * (`Calculate(<rest>)`), `draw ` calls Text2Image, `search ` calls Search and cites hits 1 and 2, `hang` streams a partial answer and waits to be aborted,
 * `slow` streams with a delay per chunk.
 */
import type { GenerateRequest, ModelBackend, ModelSession, OpenSessionOptions, PromptPart } from '../../src/backends/types.js'
import { ScriptedBackend } from '../../src/testing/index.js'
import type { ScriptedStep } from '../../src/testing/index.js'

/** The answer the echo model writes for `question` as turn `turn` of its session. */
export function echoAnswer(question: string, turn: number): string {
  return `echo(${question}) turn ${turn}`
}

function outputFor(transcript: readonly PromptPart[], request: GenerateRequest): ScriptedStep {
  const text = transcript.map((p) => p.text).join('')
  const question = text.slice(text.lastIndexOf('<|Human|>:') + '<|Human|>:'.length).split('<eoh>')[0]?.trim() ?? ''
  const turn = text.split('<|Human|>:').length - 1
  if (request.stop.includes('<eoc>')) {
    const command = question.startsWith('calc ')
      ? `Calculate("${question.slice(5)}")`
      : question.startsWith('draw ')
        ? `Text2Image("${question.slice(5)}")`
        : question.startsWith('search ')
          ? `Search("${question.slice(7)}")`
          : 'None'
    return { text: ` Answer the question.<eot>\n<|Commands|>: ${command}<eoc>` }
  }
  if (question.startsWith('hang')) return { text: ' partial answer', hang: true }
  if (question.startsWith('search ')) return { text: ' Found it <|1|>, see also <|2|>.<eom>' }
  if (question.startsWith('calc ')) {
    const result = [...text.matchAll(/=> '?([^'\n]*?)'?\n/g)].at(-1)?.[1] ?? '?'
    return { text: ` The result is ${result}.<eom>` }
  }
  return { text: ` ${echoAnswer(question, turn)}<eom>`, ...(question.startsWith('slow') ? { chunkDelayMs: 20 } : {}) }
}

/** The echo model; `scripted` is the ScriptedBackend underneath (its sessions show restores). */
export function createEchoModel(options: { chunkSize?: number } = {}): ModelBackend & { readonly scripted: ScriptedBackend } {
  const scripted = new ScriptedBackend([], { chunkSize: options.chunkSize ?? 3 })
  return {
    scripted,
    description: 'echo model (tests)',
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
          // Scripting and starting the generation happen in one synchronous step, so concurrent sessions never
          // take each other's output from the shared script.
          scripted.push(outputFor(inner.transcript, request))
          return yield* inner.generate(request)
        },
      }
    },
    dispose: () => scripted.dispose(),
  }
}
