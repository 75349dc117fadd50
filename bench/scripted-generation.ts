/**
 * One generation of the scripted dialogue on a bare sequence, with the settings contenders (a) and (c) must share:
 * the step's grammar and stops, the dialogue's sampling, and the token limit of the generation's kind.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp'
import type { GenerationStep } from '../src/formats/types.js'
import type { BenchEnv } from './bench-env.js'
import { answerTokenLimit } from './dialogue.js'
import { rawGenerate } from './raw-generate.js'
import type { RawGeneration } from './raw-generate.js'

/** Which generation of a turn: the thought and commands (`first`) or the answer. */
export type GenerationKind = 'first' | 'answer'

/** Evaluates `input` on `sequence` and generates the scripted step; generated tokens are pushed to `transcript`. */
export async function generateScriptedStep(
  env: BenchEnv,
  sequence: LlamaContextSequence,
  input: readonly Token[],
  step: GenerationStep,
  kind: GenerationKind,
  transcript: Token[],
): Promise<RawGeneration> {
  const grammar = step.constrain ? await env.grammars.get(step.constrain.gbnf, step.stop) : undefined
  return rawGenerate(env.model, sequence, input, {
    grammar,
    sampling: env.sampling,
    maxTokens: kind === 'first' ? 256 : answerTokenLimit(env.answerChars),
    stops: step.stop,
    transcript,
  })
}
