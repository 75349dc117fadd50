/**
 * Hermes-2 Pro / Hermes-3 (the `tool_use` chat template): its own system preamble listing the tools as
 * `{"type": "function", …}` JSON with a Python-style signature in the description, then the conversation's system
 * message; calls as `<tool_call>` JSON (text written before calls is not kept: the template drops it); results in a
 * `tool` role message, `<|im_end|>` followed directly by the next `<|im_start|>`, as the template writes it.
 */
import type { JsonSchema, Plugin } from '../../plugins/types.js'
import { pythonJson } from '../common/py-json.js'
import { DEFAULT_MAX_TOOL_ROUNDS } from '../common/rounds.js'
import { neutraliseMarkers } from '../neutralise.js'
import type { DialogueFormat, FormatOptions } from '../types.js'
import { CHATML_MARKERS as M, createChatMlFamilyFormat } from '../chatml/family.js'

const PREAMBLE =
  "You are a function calling AI model. You are provided with function signatures within <tools></tools> XML tags. You may call one or more functions to assist with the user query. Don't make assumptions about what values to plug into functions. Here are the available tools: <tools> "
const PREAMBLE_TAIL =
  ' </tools>Use the following pydantic model json schema for each tool call you will make: {"properties": {"name": {"title": "Name", "type": "string"}, "arguments": {"title": "Arguments", "type": "object"}}, "required": ["name", "arguments"], "title": "FunctionCall", "type": "object"}}\n' +
  'For each function call return a json object with function name and arguments within <tool_call></tool_call> XML tags as follows:\n<tool_call>\n{"name": <function-name>, "arguments": <args-dict>}\n</tool_call>'

const BASIC: Readonly<Record<string, string>> = { string: 'str', number: 'float', integer: 'int', boolean: 'bool' }

/**
 * The template's `json_to_python_type` macro. Its array branch passes `json_spec|items` (a list of pairs) back in,
 * whose `type` is undefined and iterable in Jinja: the result is `list[Union[]]`, kept as the model saw it.
 */
export function pythonTypeOf(schema: JsonSchema | undefined): string {
  const type = schema?.type
  if (typeof type === 'string' && BASIC[type] !== undefined) return BASIC[type]
  if (type === 'array') return 'list[Union[]]'
  if (type === 'object') return schema?.additionalProperties && typeof schema.additionalProperties === 'object' ? `dict[str, ${pythonTypeOf(schema.additionalProperties as JsonSchema)}]` : 'dict'
  if (Array.isArray(type)) return `Union[${type.map((t: string) => pythonTypeOf({ type: t })).join(',')}]`
  return 'Any'
}

/** One tool line of the preamble, byte for byte as the template writes it (its quirks included). */
export function hermesTool(plugin: Plugin): string {
  const properties = Object.entries(plugin.parameters.properties ?? {})
  const signature = properties.map(([name, schema]) => `${name}: ${pythonTypeOf(schema)}`).join(', ')
  let description = `${plugin.command}(${signature}) - ${plugin.description}\n\n`
  properties.forEach(([name, schema], index) => {
    if (index === 0) description += '    Args:\n'
    description += `        ${name}(${pythonTypeOf(schema)}): ${(schema.description ?? '').trim()}`
  })
  const parameters = properties.length === 0 ? '{}' : pythonJson(plugin.parameters)
  // The template never closes the outer object: one `}` for the function, none for `{"type": …`.
  return `{"type": "function", "function": {"name": "${plugin.command}", "description": "${description}", "parameters": ${parameters}}`
}

/** Creates the Hermes format. */
export function createHermesFormat(options: FormatOptions = {}): DialogueFormat {
  return createChatMlFamilyFormat({
    name: 'hermes',
    bos: '<|begin_of_text|>',
    thinking: false,
    keepsTextWithCalls: false,
    maxRounds: options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS,
    constrainCalls: options.constrainCommands !== false,
    system(enabled) {
      const tools = enabled.map(hermesTool).join('\n')
      const own = options.system !== undefined ? `${M.start}system\n${options.system}${M.end}\n` : ''
      return `${M.start}system\n${PREAMBLE}${tools}${PREAMBLE_TAIL}${M.end}\n${own}`
    },
    results(texts) {
      const parts = [{ text: `\n${M.start}tool\n`, trusted: true }]
      for (const text of texts) {
        parts.push({ text: `${M.responseOpen}\n`, trusted: true }, { text: neutraliseMarkers(text), trusted: false }, { text: `\n${M.responseClose}\n`, trusted: true })
      }
      parts.push({ text: `${M.end}${M.start}assistant\n`, trusted: true })
      return parts
    },
  })
}
