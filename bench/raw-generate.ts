/**
 * A bare `sequence.evaluate` generation, shared by the raw loop (a) and the MOSS reference loop (c): sample until
 * an end-of-generation token, a stop text or the token limit, and time the first token and the decoding.
 */
import { LlamaGrammarEvaluationState } from 'node-llama-cpp'
import type { Llama, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp'
import { prepareSpanGrammar } from '../src/backends/llama-cpp/grammar-span.js'
import type { SamplingOptions } from '../src/backends/types.js'
import { REPEAT_WINDOW } from './dialogue.js'

/** Options of {@link rawGenerate}. */
export interface RawGenerateOptions {
  /** Grammar for the whole generation (already prepared with {@link GrammarCache}). */
  readonly grammar?: LlamaGrammar
  readonly sampling: SamplingOptions
  readonly maxTokens: number
  /** Stop texts; an end-of-generation token whose text is one of them stops with it. */
  readonly stops: readonly string[]
  /** The token transcript: generated tokens are pushed to it; the repetition penalty looks at its tail. */
  readonly transcript: Token[]
}

/** What {@link rawGenerate} produced. */
export interface RawGeneration {
  readonly tokens: Token[]
  /** Generated text without the stop marker. */
  readonly text: string
  readonly stop: string | undefined
  readonly firstTokenMs: number
  readonly decodeMs: number
}

/** Samples from `sequence` after evaluating `input`. The last sampled token is left unevaluated (held). */
export async function rawGenerate(model: LlamaModel, sequence: LlamaContextSequence, input: readonly Token[], options: RawGenerateOptions): Promise<RawGeneration> {
  const started = performance.now()
  const tokens: Token[] = []
  let text = ''
  let stop: string | undefined
  let first = 0
  const repeat = options.sampling.repeatPenalty
  const grammarEvaluationState = options.grammar ? new LlamaGrammarEvaluationState({ model, grammar: options.grammar }) : undefined
  for await (const token of sequence.evaluate([...input], {
    temperature: options.sampling.temperature,
    topK: options.sampling.topK,
    topP: options.sampling.topP,
    seed: options.sampling.seed,
    repeatPenalty: repeat !== undefined && repeat !== 1 ? { penalty: repeat, punishTokens: () => options.transcript.slice(-REPEAT_WINDOW) } : undefined,
    grammarEvaluationState,
    yieldEogToken: true,
  })) {
    if (tokens.length === 0) first = performance.now()
    tokens.push(token)
    options.transcript.push(token)
    const piece = model.detokenize([token], true)
    if (model.isEogToken(token)) {
      stop = options.stops.find((s) => s === piece)
      break
    }
    text += piece
    const hit = options.stops.find((s) => text.endsWith(s))
    if (hit !== undefined) {
      stop = hit
      text = text.slice(0, text.length - hit.length)
      break
    }
    if (tokens.length >= options.maxTokens) break
  }
  const end = performance.now()
  return { tokens, text, stop, firstTokenMs: first - started, decodeMs: end - first }
}

/** Compiles bench grammars once, cutting `<eoc>`/`<eom>` literals that are end-of-generation tokens (as the backend does). */
export class GrammarCache {
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>()

  constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
  ) {}

  get(gbnf: string, stops: readonly string[]): Promise<LlamaGrammar> {
    const eog = stops.filter((marker) => {
      const tokens = this.model.tokenize(marker, true)
      return tokens.length === 1 && this.model.isEogToken(tokens[0] as Token)
    })
    const prepared = prepareSpanGrammar(gbnf, eog).gbnf
    let grammar = this.grammars.get(prepared)
    if (grammar === undefined) {
      grammar = this.llama.createGrammar({ grammar: prepared })
      this.grammars.set(prepared, grammar)
    }
    return grammar
  }
}
