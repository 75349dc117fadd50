/**
 * Contender (a): the engine's limit. A bare `sequence.evaluate` loop over a token transcript that evaluates only
 * what is new (the held-back last token plus appended parts), with the same parts, grammars and sampling as the
 * agent — no agent, no session bookkeeping.
 */
import type { Token } from 'node-llama-cpp'
import { PartTokenizerCache } from '../../src/backends/llama-cpp/tokenize-parts.js'
import type { PromptPart } from '../../src/backends/types.js'
import type { GenerationStep } from '../../src/formats/types.js'
import { bosTokens, runToolCalls } from '../bench-env.js'
import type { BenchEnv } from '../bench-env.js'
import type { DialogueResult, GenerationSample, ResumeSample, TurnSample } from '../metrics.js'
import { peakRssMiB } from '../metrics.js'
import { generateScriptedStep } from '../scripted-generation.js'

/** Runs the dialogue with the raw evaluate loop. */
export async function runRawLoop(env: BenchEnv): Promise<DialogueResult> {
  const context = await env.model.createContext({ contextSize: env.contextSize, threads: env.threads, sequences: 1, flashAttention: false })
  try {
    const sequence = context.getSequence()
    const tokenizer = new PartTokenizerCache(env.model)
    const transcript: Token[] = bosTokens(env.model)
    let pending: Token[] = [...transcript]
    let appendedSinceGeneration = 0
    const append = (parts: readonly PromptPart[]): void => {
      for (const part of parts) {
        const tokens = tokenizer.tokenize(part)
        transcript.push(...tokens)
        pending.push(...tokens)
        appendedSinceGeneration += tokens.length
      }
    }
    const plugins = env.plugins
    append(env.format.renderSystem(plugins))
    const turns: TurnSample[] = []
    const generations: GenerationSample[] = []
    const resumes: ResumeSample[] = []
    let toolCalls = 0
    const started = performance.now()
    for (let i = 0; i < env.script.length; i++) {
      const turnStart = performance.now()
      const { parts, driver } = env.format.beginTurn((env.script[i] ?? { human: '' }).human, plugins, i)
      append(parts)
      let step: GenerationStep = driver.firstStep
      let kind: 'first' | 'answer' = 'first'
      let afterCalls = false
      let ttft: number | undefined
      let evaluated = 0
      for (;;) {
        const input = pending
        pending = []
        const callStart = performance.now()
        const gen = await generateScriptedStep(env, sequence, input, step, kind, transcript)
        evaluated += input.length
        ttft ??= callStart + gen.firstTokenMs - turnStart
        generations.push({ turn: i, kind, evaluated: input.length, tokens: gen.tokens.length, firstTokenMs: gen.firstTokenMs, decodeMs: gen.decodeMs })
        // A resume evaluates what was appended plus the last token of the previous generation (held back).
        if (afterCalls) resumes.push({ turn: i, evaluated: input.length, appended: appendedSinceGeneration + 1 })
        pending = gen.tokens.slice(-1)
        appendedSinceGeneration = 0
        const outcome = gen.stop !== undefined ? { reason: 'stop' as const, stop: gen.stop, tokens: gen.tokens.length } : { reason: 'max-tokens' as const, tokens: gen.tokens.length }
        const next = driver.afterGeneration(gen.text, outcome)
        if (next.type === 'done') {
          append(next.parts)
          break
        }
        kind = 'answer'
        if (next.type === 'continue') {
          append(next.parts)
          step = next.step
          afterCalls = false
          continue
        }
        toolCalls += next.calls.length
        const results = await runToolCalls(plugins, next.calls)
        const rendered = driver.results(results)
        append(rendered.parts)
        step = rendered.step
        afterCalls = true
      }
      turns.push({ ttftMs: ttft ?? 0, totalMs: performance.now() - turnStart, evaluated })
    }
    return { contender: 'raw', e2eMs: performance.now() - started, turns, generations, resumes, toolCalls, peakRssMiB: peakRssMiB() }
  } finally {
    await context.dispose()
  }
}
