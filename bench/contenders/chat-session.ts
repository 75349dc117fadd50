/**
 * Contender (d): node-llama-cpp's own LlamaChatSession with `defineChatSessionFunction` tools doing the same calls
 * at the same turns. On the MOSS models the model has no chat template, so node-llama-cpp resolves its Llama 2 wrapper
 * (calls look like `||call: Calculate({"expression": "12*3"})`); the same-format comparison passes QwenChatWrapper.
 *
 * A random model never starts a call by itself, so the call is forced through node-llama-cpp's own machinery: on a
 * tool turn the wrapper reports the function call as "initially engaged" (what the Functionary wrapper does
 * natively), so LlamaChat generates the call with its function-name grammar and then the JSON-schema grammar of the
 * parameters. With `prefixInContext` the wrapper's call prefix (Qwen: `<tool_call>\n{"name": "`) ends the context
 * text, as if the model had written it. The name is steered by a token bias that bans the other function's name, and
 * the parameters by a schema whose `enum` is this turn's scripted input. Parameters are not documented in the prompt
 * (`documentFunctionParams: false`), so the per-turn schemas leave the prompt text, and with it the KV cache, intact.
 * Answers are free text (node-llama-cpp cannot combine a grammar with functions) stopped through the abort signal
 * once they hold as many characters as the other contenders' answers.
 */
import { defineChatSessionFunction, LlamaChatSession, LlamaText, resolveChatWrapper, TokenBias } from 'node-llama-cpp'
import type { ChatHistoryItem, ChatWrapper, ChatWrapperGenerateContextStateOptions, ChatWrapperGeneratedContextState, LlamaModel, Token } from 'node-llama-cpp'
import { BackendError } from '../../src/errors.js'
import type { Plugin } from '../../src/plugins/types.js'
import type { BenchEnv } from '../bench-env.js'
import { answerTokenLimit, CALL_PARAMETER as PARAMETER, REPEAT_WINDOW } from '../dialogue.js'
import type { ScriptTurn } from '../dialogue.js'
import type { DialogueResult, GenerationSample, ResumeSample, TurnSample } from '../metrics.js'
import { peakRssMiB } from '../metrics.js'

function pluginFor(plugins: readonly Plugin[], command: string): Plugin | undefined {
  return plugins.find((p) => p.command === command)
}

/** True when the response being generated (the last model item) already holds a function call. */
function lastResponseHasCall(history: readonly ChatHistoryItem[]): boolean {
  const last = history.at(-1)
  return last?.type === 'model' && last.response.some((item) => typeof item !== 'string' && item.type === 'functionCall')
}

/**
 * The chat wrapper with its function call engaged from the first token of a response while `engage` is on and the
 * response has no call yet; with `prefixInContext` the context text then ends with the wrapper's call prefix.
 */
function engageableWrapper(wrapper: ChatWrapper, prefixInContext: boolean): { wrapper: ChatWrapper; setEngaged: (on: boolean) => void } {
  let engaged = false
  const original = wrapper.generateContextState.bind(wrapper)
  wrapper.generateContextState = (options: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState => {
    const state = original(options)
    if (!engaged || lastResponseHasCall(options.chatHistory)) return state
    // No prefix triggers or rerender here: the Llama 2 and Qwen wrappers set neither.
    const { stopGenerationTriggers, ignoreStartText } = state
    const contextText = prefixInContext ? LlamaText([state.contextText, wrapper.settings.functions.call.prefix]) : state.contextText
    return { contextText, stopGenerationTriggers, ignoreStartText, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } }
  }
  return { wrapper, setEngaged: (on) => (engaged = on) }
}

/** Token biases banning every token that can only start `wrong` (not `right`): the function-name steering. */
function nameBiases(model: LlamaModel, names: readonly string[]): Map<string, TokenBias> {
  const vocabulary = model.fileInfo.metadata.tokenizer.ggml.tokens.length
  const texts: string[] = []
  for (let t = 0; t < vocabulary; t++) texts.push(model.detokenize([t as Token], false).trimStart())
  const biases = new Map<string, TokenBias>()
  for (const right of names) {
    const bias = new TokenBias(model.tokenizer)
    for (const wrong of names.filter((n) => n !== right)) {
      texts.forEach((text, t) => {
        if (text.length > 0 && wrong.startsWith(text) && !right.startsWith(text)) bias.set(t as Token, 'never')
      })
    }
    biases.set(right, bias)
  }
  return biases
}

/** How LlamaChatSession is set up; every field defaults to what the MOSS comparison uses. */
export interface ChatSessionSetup {
  /** The chat wrapper. Defaults to the one node-llama-cpp resolves for the model. */
  readonly wrapper?: ChatWrapper
  /** The system prompt. Defaults to LlamaChatSession's own. */
  readonly systemPrompt?: string
  /** End the context with the wrapper's call prefix while a call is engaged. Defaults to `false`. */
  readonly prefixInContext?: boolean
  /** Stop each answer after this many tokens instead of after `env.answerChars` characters. */
  readonly answerTokens?: number
}

/** Runs the dialogue with LlamaChatSession. */
export async function runChatSession(env: BenchEnv, setup: ChatSessionSetup = {}): Promise<DialogueResult> {
  const context = await env.model.createContext({ contextSize: env.contextSize, threads: env.threads, sequences: 1, flashAttention: false })
  try {
    const sequence = context.getSequence()
    const { wrapper, setEngaged } = engageableWrapper(setup.wrapper ?? resolveChatWrapper(env.model), setup.prefixInContext ?? false)
    const chat = new LlamaChatSession({
      contextSequence: sequence,
      autoDisposeSequence: false,
      chatWrapper: wrapper,
      ...(setup.systemPrompt !== undefined ? { systemPrompt: setup.systemPrompt } : {}),
    })
    const names = Object.keys(PARAMETER)
    const biases = nameBiases(env.model, names)
    const noBias = new TokenBias(env.model.tokenizer)
    let calls = 0
    let resumeFrom: { meter: number } | undefined
    const resumes: ResumeSample[] = []
    let turnIndex = 0
    /** The functions of one turn: the same names and descriptions every turn; the scripted call's input as the only allowed value. */
    const functionsFor = (turn: ScriptTurn) =>
      Object.fromEntries(
        names.map((command) => {
          const argument = PARAMETER[command] ?? 'input'
          const input = turn.call?.command === command ? turn.call.input : undefined
          return [
            command,
            defineChatSessionFunction({
              description: pluginFor(env.plugins, command)?.description ?? command,
              params: { type: 'object', properties: { [argument]: input === undefined ? { type: 'string' } : { enum: [input] } } },
              async handler(params: Record<string, unknown>) {
                calls++
                const plugin = pluginFor(env.plugins, command)
                const text = plugin ? (await plugin.run(String(params[argument] ?? ''))).text : 'unknown command'
                resumeFrom = { meter: sequence.tokenMeter.usedInputTokens }
                return text
              },
            }),
          ]
        }),
      )

    const turns: TurnSample[] = []
    const generations: GenerationSample[] = []
    let toolCalls = 0
    const started = performance.now()
    for (let i = 0; i < env.script.length; i++) {
      turnIndex = i
      const turn = env.script[i] ?? { human: '' }
      const turnStart = performance.now()
      const meterBefore = sequence.tokenMeter.usedInputTokens
      const outputBefore = sequence.tokenMeter.usedOutputTokens
      const callsBefore = calls
      const stop = new AbortController()
      let answer = ''
      let answerTokens = 0
      let first: number | undefined
      let last = turnStart
      const steer = turn.call ? (biases.get(turn.call.command) ?? noBias) : noBias
      setEngaged(turn.call !== undefined)
      await chat.prompt(turn.human, {
        functions: functionsFor(turn),
        documentFunctionParams: false,
        maxParallelFunctionCalls: 1,
        // A safety cap only: the answer is stopped by characters (below).
        maxTokens: answerTokenLimit(env.answerChars) * 2 + (turn.call ? 64 : 0),
        temperature: env.sampling.temperature,
        topK: env.sampling.topK,
        topP: env.sampling.topP,
        seed: env.sampling.seed,
        repeatPenalty: { penalty: env.sampling.repeatPenalty, lastTokens: REPEAT_WINDOW },
        tokenBias: () => (calls === callsBefore ? steer : noBias),
        signal: stop.signal,
        stopOnAbortSignal: true,
        onToken(tokens) {
          if (setup.answerTokens !== undefined && !(turn.call && calls === callsBefore)) {
            answerTokens += tokens.length
            if (answerTokens >= setup.answerTokens) stop.abort()
          }
          const now = performance.now()
          first ??= now
          last = now
          if (resumeFrom !== undefined) {
            resumes.push({ turn: turnIndex, evaluated: sequence.tokenMeter.usedInputTokens - resumeFrom.meter, appended: undefined })
            resumeFrom = undefined
          }
        },
        onFunctionCallParamsChunk() {
          // The call's tokens are the turn's first tokens on a tool turn (onToken only sees the answer).
          first ??= performance.now()
        },
        onTextChunk(text) {
          // The answer: text after the call on a tool turn, all text otherwise.
          if (turn.call && calls === callsBefore) return
          answer += text
          if (setup.answerTokens === undefined && [...answer.trimStart()].length >= env.answerChars) stop.abort()
        },
      })
      setEngaged(false)
      const made = calls - callsBefore
      if (made !== (turn.call ? 1 : 0)) throw new BackendError(`LlamaChatSession made ${made} tool call(s) on turn ${i + 1}`)
      toolCalls += made
      const evaluated = sequence.tokenMeter.usedInputTokens - meterBefore
      // onToken does not see the tokens of a function call; the meter counts every sampled token.
      const tokens = sequence.tokenMeter.usedOutputTokens - outputBefore
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
