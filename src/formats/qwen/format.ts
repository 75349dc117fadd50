/**
 * Qwen (Qwen2.5, Qwen3, QwQ): ChatML with `<tool_call>` JSON calls, tools listed in `<tools>` in the system block,
 * results as `<tool_response>` blocks grouped in one user message. Qwen2.5 writes its default system text when none
 * is given; Qwen3 writes none, streams `<think>` reasoning as thought (never searched for calls), renders the final
 * message of the current turn with its reasoning block (`<think>\n\n</think>\n\n` when empty) and drops reasoning
 * from earlier turns — exactly as its chat template does.
 */
import { neutraliseMarkers } from '../neutralise.js'
import { DEFAULT_MAX_TOOL_ROUNDS } from '../common/rounds.js'
import type { DialogueFormat, FormatOptions } from '../types.js'
import { CHATML_MARKERS as M, createChatMlFamilyFormat, toolLines } from '../chatml/family.js'

/** Qwen2.5's system text when the conversation has none. */
export const QWEN25_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.'

const TOOLS_HEAD = '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>'
const TOOLS_TAIL =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'

/** Creates the Qwen format; `options.variant` picks `qwen3` (default: reasoning) or `qwen2.5`. */
export function createQwenFormat(options: FormatOptions = {}): DialogueFormat {
  const qwen3 = options.variant !== 'qwen2.5'
  const system = options.system
  return createChatMlFamilyFormat({
    name: 'qwen',
    thinking: qwen3,
    keepsTextWithCalls: true,
    maxRounds: options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS,
    constrainCalls: options.constrainCommands !== false,
    system(enabled) {
      if (enabled.length === 0) {
        if (qwen3) return system !== undefined ? `${M.start}system\n${system}${M.end}\n` : ''
        return `${M.start}system\n${system ?? QWEN25_DEFAULT_SYSTEM}${M.end}\n`
      }
      const head = qwen3 ? (system !== undefined ? `${system}\n\n` : '') : `${system ?? QWEN25_DEFAULT_SYSTEM}\n\n`
      return `${M.start}system\n${head}${TOOLS_HEAD}${toolLines(enabled)}${TOOLS_TAIL}${M.end}\n`
    },
    results(texts) {
      const parts = [{ text: `\n${M.start}user`, trusted: true }]
      for (const text of texts) {
        parts.push({ text: `\n${M.responseOpen}\n`, trusted: true }, { text: neutraliseMarkers(text), trusted: false }, { text: `\n${M.responseClose}`, trusted: true })
      }
      parts.push({ text: `${M.end}\n${M.start}assistant\n`, trusted: true })
      return parts
    },
  })
}
