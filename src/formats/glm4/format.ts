/**
 * GLM-4 (glm-4-9b-chat), as its chat template writes it: the `[gMASK]<sop>` prefix, the tools in a first system
 * message (GLM-4's own preamble, `# 可用工具`, one `## name` section per tool with its function as JSON, indent 4),
 * then the conversation's system message; each message `<|role|>{metadata}\n{content}`. A call is an assistant
 * message `<|assistant|>{name}\n{JSON arguments}`, its result an `<|observation|>` message; the model stops at
 * `<|user|>` or `<|observation|>` (see `glm/family.ts`). Calls are constrained on local models: from the first token
 * of each generation the grammar lets the model either answer (`\n…`) or write a tool's name and arguments of that
 * tool's JSON Schema.
 */
import type { ConstrainedSpan } from '../../prompt.js'
import type { Plugin } from '../../plugins/types.js'
import { gbnfLiteral } from '../common/call-grammar.js'
import { COMMAND_ERRORS } from '../common/command-errors.js'
import { pythonJson } from '../common/py-json.js'
import { DEFAULT_MAX_TOOL_ROUNDS } from '../common/rounds.js'
import { asArgumentsObject, toolFunction } from '../common/tool-arguments.js'
import { parseLenient } from '../common/tool-call-json.js'
import type { DialogueFormat, FormatOptions } from '../types.js'
import { GLM_ROLES as R, createGlmFamilyFormat, type ReadCall } from '../glm/family.js'

/** GLM-4's prefix tokens and end-of-text token, as data. */
export const GLM4 = { prefix: '[gMASK]<sop>', eos: '<|endoftext|>' } as const

const PREAMBLE = '你是一个名为 ChatGLM 的人工智能助手。你是基于智谱AI训练的语言模型 GLM-4 模型开发的，你的任务是针对用户的问题和要求提供适当的答复和支持。\n\n# 可用工具'
const TOOL_TAIL = '\n在调用上述函数时，请使用 Json 格式表示调用的参数。'

/** The tools system message, as the template renders a message's `tools` (trim_blocks: one `\n` before `##`). */
export function glm4Tools(enabled: readonly Plugin[]): string {
  const sections = enabled.map((p) => `\n## ${p.command}\n\n${pythonJson(toolFunction(p), 4)}${TOOL_TAIL}`)
  return `${R.system}\n${PREAMBLE}${sections.join('')}`
}

/** Reads the JSON arguments of a call (strict JSON, then JSON5; never evaluated). */
export const readGlm4Call: ReadCall = (_name, content) => {
  const parsed = parseLenient(content.trim() === '' ? '{}' : content)
  if ('reason' in parsed) return { ok: false, error: COMMAND_ERRORS.invalidArgumentsJson(parsed.reason) }
  const args = asArgumentsObject(parsed.value)
  return args ? { ok: true, arguments: args } : { ok: false, error: COMMAND_ERRORS.invalidArgumentsJson('the arguments are not a JSON object') }
}

/**
 * The span of a generation offered tools. Its trigger is the `<|assistant|>` the prompt ends with, so it holds from
 * the first token: either `\n` and free text (an answer), or one tool's name, `\n` and a JSON value of that tool's
 * schema; the model then ends with an end-of-generation token (`<|observation|>`).
 */
export function glm4CallSpan(enabled: readonly Plugin[]): ConstrainedSpan | undefined {
  if (enabled.length === 0) return undefined
  const calls = enabled.map((plugin, i) => `${gbnfLiteral(`${plugin.command}\n`)} args-${i}`)
  const gbnf = [`root ::= answer | call`, `answer ::= "\\n" [^\\x00]*`, `call ::= ${calls.join(' | ')}`].join('\n')
  return { trigger: R.assistant, gbnf: `${gbnf}\n`, jsonSchemas: Object.fromEntries(enabled.map((plugin, i) => [`args-${i}`, plugin.parameters])) }
}

/** Creates the GLM-4 format. `options.system` is the conversation's system message (none by default). */
export function createGlm4Format(options: FormatOptions = {}): DialogueFormat {
  const system = options.system
  return createGlmFamilyFormat({
    name: 'glm4',
    prefix: GLM4.prefix,
    lead: '',
    system: (enabled) => `${enabled.length > 0 ? glm4Tools(enabled) : ''}${system !== undefined && system !== '' ? `${R.system}\n${system}` : ''}`,
    readCall: readGlm4Call,
    severalCalls: true,
    ...(options.constrainCommands !== false ? { constrain: glm4CallSpan } : {}),
    maxRounds: options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS,
    extraHalts: [GLM4.eos],
  })
}
