/**
 * ChatGLM3 (chatglm3-6b), as THUDM's tokenizer builds its prompts (`build_chat_input`): the `[gMASK]sop` prefix, each
 * message `<|role|>{metadata}\n {content}` (the space is SentencePiece's dummy prefix, as the chat template writes
 * it), the tools as JSON (indent 4) after the system text. A call is an assistant message whose metadata is the tool
 * name and whose content is a fenced `tool_call(name=value, …)`; the result comes back as an `<|observation|>`
 * message. As THUDM's `process_response` reads a generation, the last `<|assistant|>` message decides, so a preface
 * followed by a call runs the call. The arguments are Python literals: parsed by `common/py-literal.ts`, never
 * evaluated; positional arguments and expressions are refused with an error result the model sees.
 */
import { describeError } from '../../errors.js'
import { COMMAND_ERRORS } from '../common/command-errors.js'
import { parsePythonKeywordCall } from '../common/py-literal.js'
import { pythonJson } from '../common/py-json.js'
import { DEFAULT_MAX_TOOL_ROUNDS } from '../common/rounds.js'
import { toolFunction } from '../common/tool-arguments.js'
import type { DialogueFormat, FormatOptions } from '../types.js'
import { GLM_ROLES, createGlmFamilyFormat, type ReadCall } from '../glm/family.js'

/** ChatGLM3 markers, as data. */
export const CHATGLM3 = { prefix: '[gMASK]sop', ...GLM_ROLES } as const

/** THUDM's system text for tool use (their tool demo and PROMPT.md), followed by the tools' JSON. */
export const CHATGLM3_TOOL_SYSTEM = 'Answer the following questions as best as you can. You have access to the following tools:'

/** The Python source of a call's content: the fenced block's inner lines (THUDM drops the first and last line). */
export function toolCallSource(content: string): string {
  const lines = content.trim().split('\n')
  if ((lines[0] ?? '').trimStart().startsWith('```')) lines.shift()
  if ((lines.at(-1) ?? '').trim().startsWith('```')) lines.pop()
  return lines.join('\n')
}

/** Reads `tool_call(k=v, …)` keyword arguments as Python literals; anything else is an error for the model. */
export const readChatGlm3Call: ReadCall = (_name, content) => {
  try {
    return { ok: true, arguments: parsePythonKeywordCall(toolCallSource(content), 'tool_call') }
  } catch (error) {
    return { ok: false, error: COMMAND_ERRORS.notLiteral(describeError(error)) }
  }
}

/**
 * Creates the ChatGLM3 format. The system message is `options.system`, or THUDM's tool prompt when tools are
 * enabled and none is given; without either there is none.
 */
export function createChatGlm3Format(options: FormatOptions = {}): DialogueFormat {
  return createGlmFamilyFormat({
    name: 'chatglm3',
    prefix: CHATGLM3.prefix,
    lead: ' ',
    system(enabled) {
      const text = options.system ?? (enabled.length > 0 ? CHATGLM3_TOOL_SYSTEM : undefined)
      if (text === undefined) return ''
      const tools = enabled.length > 0 ? `\n${pythonJson(enabled.map(toolFunction), 4)}` : ''
      return `${CHATGLM3.system}\n ${text}${tools}`
    },
    readCall: readChatGlm3Call,
    severalCalls: false,
    maxRounds: options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS,
  })
}
