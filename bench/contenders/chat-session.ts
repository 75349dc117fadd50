/**
 * Contender (d): node-llama-cpp's own LlamaChatSession with `defineChatSessionFunction` tools doing the same calls.
 * The model has no chat template, so node-llama-cpp picks its Llama 2 wrapper (calls look like
 * `||call: Calculate({"expression": "12*3"})`). A random model never starts a call by itself: on a tool turn a token
 * bias steers the first tokens of the response into the call prefix, after which node-llama-cpp's own grammar writes
 * the name and parameters (an enum of the script's inputs); the bias switches off once the call ran. Answers are
 * free text capped at the same token count as the other contenders' answers (node-llama-cpp cannot combine a
 * grammar with functions).
 */
import { defineChatSessionFunction, LlamaChatSession, TokenBias } from 'node-llama-cpp'
import type { Token } from 'node-llama-cpp'
import type { Plugin } from '../../src/plugins/types.js'
import type { BenchEnv } from '../bench-env.js'
import { answerTokenLimit, REPEAT_WINDOW } from '../dialogue.js'
import type { DialogueResult, GenerationSample, ResumeSample, TurnSample } from '../metrics.js'
import { peakRssMiB } from '../metrics.js'

/** The call prefix of node-llama-cpp's default function syntax. */
const CALL_PREFIX = '||call: '

function pluginFor(plugins: readonly Plugin[], command: string): Plugin | undefined {
  return plugins.find((p) => p.command === command)
}

/** Runs the dialogue with LlamaChatSession. */
export async function runChatSession(env: BenchEnv): Promise<DialogueResult> {
  const context = await env.model.createContext({ contextSize: env.contextSize, threads: env.threads, sequences: 1, flashAttention: false })
  try {
    const sequence = context.getSequence()
    const chat = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false })
    let calls = 0
    let resumeFrom: { meter: number } | undefined
    const resumes: ResumeSample[] = []
    let turnIndex = 0
    const inputsOf = (command: string): string[] => [...new Set(env.script.filter((t) => t.call?.command === command).map((t) => t.call?.input ?? ''))]
    const tool = (command: string, argument: string) => {
      const inputs = inputsOf(command)
      return defineChatSessionFunction({
        description: pluginFor(env.plugins, command)?.description ?? command,
        params: { type: 'object', properties: { [argument]: inputs.length > 0 ? { enum: inputs } : { type: 'string' } } } as const,
        async handler(params: Record<string, unknown>) {
          calls++
          const plugin = pluginFor(env.plugins, command)
          const text = plugin ? (await plugin.run(String(params[argument] ?? ''))).text : 'unknown command'
          resumeFrom = { meter: sequence.tokenMeter.usedInputTokens }
          return text
        },
      })
    }
    const functions = { Calculate: tool('Calculate', 'expression'), Solve: tool('Solve', 'equation') }
    const prefixTokens = (rest: string): Token | undefined => env.model.tokenize(rest, false)[0]

    const turns: TurnSample[] = []
    const generations: GenerationSample[] = []
    let toolCalls = 0
    const started = performance.now()
    for (let i = 0; i < env.script.length; i++) {
      turnIndex = i
      const turn = env.script[i] ?? { human: '' }
      const turnStart = performance.now()
      const meterBefore = sequence.tokenMeter.usedInputTokens
      const callsBefore = calls
      let generated = ''
      let first: number | undefined
      let last = turnStart
      let tokens = 0
      const bias = (): TokenBias => {
        const tokenBias = new TokenBias(env.model.tokenizer)
        const sofar = generated.trimStart()
        if (turn.call && calls === callsBefore && CALL_PREFIX.startsWith(sofar) && sofar.length < CALL_PREFIX.length) {
          const next = prefixTokens(CALL_PREFIX.slice(sofar.length))
          if (next !== undefined) tokenBias.set(next, { logit: 100 })
        }
        return tokenBias
      }
      await chat.prompt(turn.human, {
        functions,
        maxTokens: answerTokenLimit(env.answerChars) + (turn.call ? 48 : 0),
        temperature: env.sampling.temperature,
        topK: env.sampling.topK,
        topP: env.sampling.topP,
        seed: env.sampling.seed,
        repeatPenalty: { penalty: env.sampling.repeatPenalty, lastTokens: REPEAT_WINDOW },
        tokenBias: bias,
        onToken(chunk) {
          const now = performance.now()
          first ??= now
          last = now
          tokens += chunk.length
          if (calls === callsBefore) generated += env.model.detokenize(chunk, false)
          if (resumeFrom !== undefined) {
            resumes.push({ turn: turnIndex, evaluated: sequence.tokenMeter.usedInputTokens - resumeFrom.meter, appended: undefined })
            resumeFrom = undefined
          }
        },
      })
      toolCalls += calls - callsBefore
      const evaluated = sequence.tokenMeter.usedInputTokens - meterBefore
      const ttft = (first ?? last) - turnStart
      // Only turns without a call give a clean decoding rate (a call turn includes the tool and the resume).
      generations.push({ turn: i, kind: turn.call ? 'first' : 'answer', evaluated, tokens, firstTokenMs: ttft, decodeMs: last - (first ?? last) })
      turns.push({ ttftMs: ttft, totalMs: performance.now() - turnStart, evaluated })
    }
    chat.dispose({ disposeSequence: false })
    return { contender: 'chat-session', e2eMs: performance.now() - started, turns, generations, resumes, toolCalls, peakRssMiB: peakRssMiB() }
  } finally {
    await context.dispose()
  }
}
