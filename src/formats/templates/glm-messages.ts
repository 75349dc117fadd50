/**
 * The conformance conversations in the native message shape of the GLM templates, which cannot take OpenAI-shaped
 * calls: tools on the system message, a call as an assistant message whose `metadata` is the tool name, results as
 * `observation` messages. GLM-4 keeps the tools in the message's `tools` key (its template renders them); ChatGLM3's
 * template ignores `tools`, so its system content carries them the way THUDM's tokenizer merges them
 * (`content + "\n" + json.dumps(tools, indent=4)`).
 */
import { pythonJson } from '../common/py-json.js'
import { pythonRepr } from '../python-repr.js'
import { SCRIPT_SYSTEM, SCRIPT_TOOLS, oneCallRounds, type ScriptCall, type ScriptConversation } from './conversations.js'

/** A Python literal for a JSON value of the script (str, int, bool, None, list, dict). */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'string') return pythonRepr(value)
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonLiteral(v)}`).join(', ')}}`
}

/** A ChatGLM3 call's content: THUDM's fenced `tool_call(…)` with keyword arguments. */
export function chatGlm3CallContent(call: ScriptCall): string {
  const args = Object.entries(call.arguments).map(([k, v]) => `${k}=${pythonLiteral(v)}`)
  return `\`\`\`python\ntool_call(${args.join(', ')})\n\`\`\``
}

/** A GLM-4 call's content: the arguments as JSON (`json.dumps`). */
export function glm4CallContent(call: ScriptCall): string {
  return pythonJson(call.arguments)
}

/** The conversation as GLM-4 (`glm4`) or ChatGLM3 (`chatglm3`) messages. */
export function glmMessages(conversation: ScriptConversation, variant: 'glm4' | 'chatglm3'): Record<string, unknown>[] {
  const system: Record<string, unknown> = { role: 'system', content: SCRIPT_SYSTEM }
  if (conversation.tools && variant === 'glm4') system.tools = SCRIPT_TOOLS.map((tool) => ({ type: 'function', function: tool }))
  if (conversation.tools && variant === 'chatglm3') system.content = `${SCRIPT_SYSTEM}\n${pythonJson(SCRIPT_TOOLS, 4)}`
  const messages: Record<string, unknown>[] = [system]
  const content = variant === 'glm4' ? glm4CallContent : chatGlm3CallContent
  for (const turn of conversation.turns) {
    messages.push({ role: 'user', content: turn.human })
    for (const round of variant === 'chatglm3' ? oneCallRounds(turn.rounds) : turn.rounds) {
      if (round.text !== undefined) messages.push({ role: 'assistant', metadata: '', content: round.text })
      for (const call of round.calls) messages.push({ role: 'assistant', metadata: call.name, content: content(call) })
      for (const result of round.results) messages.push({ role: 'observation', content: result })
    }
    messages.push({ role: 'assistant', content: turn.answer })
  }
  return messages
}
