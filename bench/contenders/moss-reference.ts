/**
 * Contender (c): the MOSS reference loop as its README describes it (moss-protocol.md §6). Every generation
 * renders the whole prompt as text (meta instruction + history with old results replaced by
 * `<|Results|>: None<eor>` + the current turn), tokenizes it with special tokens on, clears the cache and evaluates
 * everything again; generation 1's output is decoded to text and the prompt of generation 2 is rebuilt from it.
 */
import type { Token } from 'node-llama-cpp'
import type { TurnRecord } from '../../src/formats/types.js'
import { bosTokens, runToolCalls } from '../bench-env.js'
import type { BenchEnv } from '../bench-env.js'
import type { DialogueResult, GenerationSample, ResumeSample, TurnSample } from '../metrics.js'
import { peakRssMiB } from '../metrics.js'
import { generateScriptedStep } from '../scripted-generation.js'

/** Runs the dialogue with the reference loop. */
export async function runMossReference(env: BenchEnv): Promise<DialogueResult> {
  const context = await env.model.createContext({ contextSize: env.contextSize, threads: env.threads, sequences: 1, flashAttention: false })
  try {
    const sequence = context.getSequence()
    const records: TurnRecord[] = []
    const turns: TurnSample[] = []
    const generations: GenerationSample[] = []
    const resumes: ResumeSample[] = []
    let toolCalls = 0
    const started = performance.now()
    for (let i = 0; i < env.script.length; i++) {
      const turnStart = performance.now()
      const history = env.format.renderHistory(env.plugins, records, { compressedResults: new Set(records.map((_, n) => n)) })
      const { parts, driver } = env.format.beginTurn((env.script[i] ?? { human: '' }).human, env.plugins, i)
      let prompt = [...history, ...parts].map((p) => p.text).join('')
      let step = driver.firstStep
      let kind: 'first' | 'answer' = 'first'
      let afterCalls = false
      let ttft: number | undefined
      let evaluated = 0
      for (;;) {
        // The whole prompt, every time: decode → text → re-tokenize → re-evaluate.
        const tokens: Token[] = [...bosTokens(env.model), ...env.model.tokenize(prompt, true)]
        await sequence.clearHistory()
        const callStart = performance.now()
        const transcript = [...tokens]
        const gen = await generateScriptedStep(env, sequence, tokens, step, kind, transcript)
        evaluated += tokens.length
        ttft ??= callStart + gen.firstTokenMs - turnStart
        generations.push({ turn: i, kind, evaluated: tokens.length, tokens: gen.tokens.length, firstTokenMs: gen.firstTokenMs, decodeMs: gen.decodeMs })
        if (afterCalls) resumes.push({ turn: i, evaluated: tokens.length, appended: undefined })
        prompt += gen.text + (gen.stop ?? '')
        const outcome = gen.stop !== undefined ? { reason: 'stop' as const, stop: gen.stop, tokens: gen.tokens.length } : { reason: 'max-tokens' as const, tokens: gen.tokens.length }
        const next = driver.afterGeneration(gen.text, outcome)
        if (next.type === 'done') break
        kind = 'answer'
        if (next.type === 'continue') {
          prompt += next.parts.map((p) => p.text).join('')
          step = next.step
          afterCalls = false
          continue
        }
        toolCalls += next.calls.length
        const rendered = driver.results(await runToolCalls(env.plugins, next.calls))
        prompt += rendered.parts.map((p) => p.text).join('')
        step = rendered.step
        afterCalls = true
      }
      records.push(driver.record())
      turns.push({ ttftMs: ttft ?? 0, totalMs: performance.now() - turnStart, evaluated })
    }
    return { contender: 'reference', e2eMs: performance.now() - started, turns, generations, resumes, toolCalls, peakRssMiB: peakRssMiB() }
  } finally {
    await context.dispose()
  }
}
