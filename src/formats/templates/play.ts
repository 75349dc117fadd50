/**
 * Plays a scripted conversation through a dialogue format exactly as the agent would (system prefix, each turn's
 * parts, each generation as the model writes it plus its stop marker, the format's rewrites, the results it renders,
 * history re-rendered at a turn's start when the format rewrites history) and returns the transcript text.
 */
import { definePlugin } from '../../plugins/define-plugin.js'
import type { Plugin } from '../../plugins/types.js'
import type { DialogueFormat, ToolResult, TurnRecord } from '../types.js'
import { SCRIPT_TOOLS, oneCallRounds, type ScriptCall, type ScriptConversation } from './conversations.js'
import { chatGlm3CallContent, glm4CallContent } from './glm-messages.js'

/** How a model of a format writes one assistant message: text before calls (or the answer), then its calls. */
export interface ModelWriter {
  /** The generated text (without the stop marker). */
  write(text: string, calls: readonly ScriptCall[]): string
  /** The stop marker that ends a message with calls, and one that ends an answer. */
  readonly stops: { readonly calls: string; readonly answer: string }
  /** The model writes one call per generation and calls again after its result (ChatGLM3). */
  readonly oneCallPerGeneration?: boolean
}

/** Writers by format name (formats of the ChatML family write `<tool_call>` blocks). */
export const MODEL_WRITERS: Readonly<Record<string, ModelWriter>> = {
  qwen: chatMlWriter(),
  hermes: chatMlWriter(),
  llama3: {
    // Llama writes no text before a call (its template could not keep it) and several calls as `{…}; {…}`.
    write: (text, calls) => (calls.length === 0 ? text : calls.map((call) => JSON.stringify({ name: call.name, parameters: call.arguments })).join('; ')),
    stops: { calls: '<|eot_id|>', answer: '<|eot_id|>' },
  },
  mistral: {
    // Mistral answers after a SentencePiece space and writes its calls as one JSON list without ids (ids are the
    // caller's, vLLM and mistral-common alike); text before the list cannot be kept.
    write: (text, calls) => (calls.length === 0 ? ` ${text}` : `${text}[TOOL_CALLS] ${JSON.stringify(calls.map((call) => ({ name: call.name, arguments: call.arguments })))}`),
    stops: { calls: '</s>', answer: '</s>' },
  },
  glm4: glmWriter('', glm4CallContent, false),
  chatglm3: glmWriter(' ', chatGlm3CallContent, true),
}

/** GLM models write each message as `{metadata}\n{lead}{content}`, messages separated by `<|assistant|>`. */
function glmWriter(lead: string, content: (call: ScriptCall) => string, oneCallPerGeneration: boolean): ModelWriter {
  return {
    write: (text, calls) =>
      [...(text !== '' || calls.length === 0 ? [`\n${lead}${text}`] : []), ...calls.map((call) => `${call.name}\n${lead}${content(call)}`)].join('<|assistant|>'),
    stops: { calls: '<|observation|>', answer: '<|user|>' },
    oneCallPerGeneration,
  }
}

function chatMlWriter(): ModelWriter {
  return {
    write: (text, calls) =>
      [...(text !== '' ? [text] : []), ...calls.map((call) => `<tool_call>\n${JSON.stringify({ name: call.name, arguments: call.arguments })}\n</tool_call>`)].join('\n'),
    stops: { calls: '<|im_end|>', answer: '<|im_end|>' },
  }
}

/** Stub plugins for the script's tools (never run). */
export function scriptPlugins(): Plugin[] {
  return SCRIPT_TOOLS.map((tool) =>
    definePlugin({ name: tool.name, description: tool.description, parameters: tool.parameters as unknown as Plugin['parameters'], run: () => '' }),
  )
}

const join = (parts: readonly { readonly text: string }[]): string => parts.map((part) => part.text).join('')

/**
 * The transcript of `conversation` through `format` (the format's BOS text first, as a backend adds it). `tools`
 * defaults to the script's own; `onTurnStart` sees the prompt of each turn's first generation (BOS included).
 */
export function playConversation(
  format: DialogueFormat,
  writer: ModelWriter,
  conversation: ScriptConversation,
  tools: readonly Plugin[] = scriptPlugins(),
  onTurnStart?: (prompt: string) => void,
): string {
  const plugins = conversation.tools ? tools : []
  let transcript = join(format.renderSystem(plugins))
  const records: TurnRecord[] = []
  for (const turn of conversation.turns) {
    if (format.rewritesHistory && records.length > 0) transcript = join(format.renderHistory(plugins, records))
    const { parts, driver } = format.beginTurn(turn.human, plugins, records.length)
    transcript += join(parts)
    onTurnStart?.((format.bos ?? '') + transcript)
    for (const round of writer.oneCallPerGeneration ? oneCallRounds(turn.rounds) : turn.rounds) {
      const text = writer.write(round.text ?? '', round.calls)
      const decision = driver.afterGeneration(text, { reason: 'stop', stop: writer.stops.calls, tokens: 1 })
      transcript += decision.rewrite ?? text + writer.stops.calls
      if (decision.type !== 'calls') throw new Error(`${format.name}: expected calls in "${conversation.name}", got ${decision.type}`)
      const results: ToolResult[] = decision.calls.map((call, i) => ({ call, ok: true, text: round.results[i] ?? '' }))
      const next = driver.results(results)
      transcript += join(next.parts)
    }
    const answer = writer.write(turn.answer, [])
    const decision = driver.afterGeneration(answer, { reason: 'stop', stop: writer.stops.answer, tokens: 1 })
    transcript += decision.rewrite ?? answer + writer.stops.answer
    if (decision.type !== 'done') throw new Error(`${format.name}: expected the answer in "${conversation.name}", got ${decision.type}`)
    transcript += join(decision.parts)
    records.push(driver.record())
  }
  return (format.bos ?? '') + transcript
}
