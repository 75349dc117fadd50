import type { GenerateOutcome, SamplingOptions } from '../backends/types.js'
import type { GenerationStep, ScanEvent } from '../formats/types.js'
import type { SessionCore } from './session-core.js'
import type { AgentEvent } from './types.js'

/** What one generation produced. */
export interface GenerationResult {
  /** Full generated text, without the stop marker. */
  readonly text: string
  /** Why it ended (`halt` from the scanner is reported as a `stop` without marker). */
  readonly outcome: GenerateOutcome
  /** The scanner stopped the stream because the output went off-format. */
  readonly halted: boolean
}

/** Options of {@link generateStep}. */
export interface GenerateStepOptions {
  /** Most tokens this step may generate (what is left of the turn's token budget). */
  readonly maxTokens: number
  /** Per-turn sampling overrides; `undefined` keeps the backend's settings. */
  readonly sampling: SamplingOptions | undefined
  /** The turn's signal (user abort or time budget). */
  readonly signal: AbortSignal
  /** Sees every delta before it is yielded. */
  readonly observe?: (event: AgentEvent) => void
}

/**
 * U+FFFD is what a decoder makes of bytes that are not UTF-8 (a byte-fallback token out of place, a server's lossy
 * decoding); it never stands for anything the model meant, so it is dropped from what the format and the reader see.
 */
const REPLACEMENT_CHARACTERS = /\uFFFD/g

function toEvent(event: ScanEvent): AgentEvent | undefined {
  if (event.kind === 'thought' && event.text) return { type: 'thought-delta', text: event.text }
  if (event.kind === 'answer' && event.text) return { type: 'text-delta', text: event.text }
  // Commands are reported as tool-call events once parsed; raw command text is not streamed.
  return undefined
}

/**
 * Runs one generation of a turn: streams the model output through the step's scanner, yields thought and text
 * deltas, and records the generated text (plus its stop marker) in the session's mirror. The model's generator is
 * always closed, also when the consumer stops iterating, so the backend is never left mid-generation.
 */
export async function* generateStep(
  core: SessionCore,
  step: GenerationStep,
  options: GenerateStepOptions,
): AsyncGenerator<AgentEvent, GenerationResult, void> {
  const generatedBefore = core.model.stats.generated
  const iterator = core.model.generate({
    stop: step.stop,
    maxTokens: options.maxTokens,
    signal: options.signal,
    ...(step.constrain ? { constrain: step.constrain } : {}),
    ...(options.sampling ? { sampling: options.sampling } : {}),
  })
  let raw = ''
  let text = ''
  let outcome: GenerateOutcome | undefined
  let halted = false
  try {
    while (!halted) {
      const next = await iterator.next()
      if (next.done) {
        outcome = next.value
        break
      }
      raw += next.value
      const chunk = next.value.replace(REPLACEMENT_CHARACTERS, '')
      text += chunk
      for (const event of step.scanner.push(chunk)) {
        if (event.kind === 'halt') {
          halted = true
          break
        }
        const agentEvent = toEvent(event)
        if (agentEvent) {
          options.observe?.(agentEvent)
          yield agentEvent
        }
      }
    }
  } finally {
    // Closing an unfinished generator runs the backend's cleanup (it keeps the text generated so far).
    if (!outcome) await iterator.return({ reason: 'aborted', tokens: 0 })
  }
  if (!halted) {
    for (const event of step.scanner.end()) {
      const agentEvent = event.kind === 'halt' ? undefined : toEvent(event)
      if (agentEvent) {
        options.observe?.(agentEvent)
        yield agentEvent
      }
    }
  }
  const final: GenerateOutcome = outcome ?? { reason: 'stop', tokens: core.model.stats.generated - generatedBefore }
  const stop = final.reason === 'stop' && final.stop ? final.stop : ''
  core.recordGeneration(raw + stop)
  // After a halt the backend may hold text it had not yielded yet (a held-back partial marker): realign it. Text
  // without its replacement characters replaces what the model holds, so that transcript and record agree.
  if (halted) await core.model.reset(core.mirror)
  if (raw !== text) await core.rewriteLast(text + stop)
  return { text, outcome: final, halted }
}
