/**
 * Reads the JSON of one tool call (`<tool_call>` body, a Llama 3 call message): `{"name": …, "arguments": {…}}`.
 *
 * Where the reference parsers disagree we follow the majority (docs/formats.md): vLLM's hermes parser takes strict
 * JSON only, Qwen-Agent reads the block with json5 and Hermes-Function-Calling falls back to `ast.literal_eval`; two
 * of three accept single quotes and trailing commas, so JSON5 is the fallback here. `parameters` is read as
 * `arguments` (the Llama key many models write; dropping it would run the tool with `{}`), and arguments given as a
 * JSON string are parsed. Never evaluated.
 */
import JSON5 from 'json5'
import { asArgumentsObject } from './tool-arguments.js'

/** A call read from JSON, or why it could not be read. */
export type ReadToolCall =
  | { readonly ok: true; readonly name: string; readonly arguments: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string; readonly name?: string }

/** Strict JSON, then JSON5 (single quotes, trailing commas); the strict parser's message when neither reads it. */
export function parseLenient(text: string): { value: unknown } | { reason: string } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (strict) {
    try {
      return { value: JSON5.parse(text) }
    } catch {
      return { reason: strict instanceof Error ? strict.message : String(strict) }
    }
  }
}

/** Reads a call object from its JSON text. */
export function readToolCallJson(text: string): ReadToolCall {
  const parsed = parseLenient(text.trim())
  if ('reason' in parsed) return { ok: false, reason: parsed.reason }
  const record = asArgumentsObject(parsed.value)
  if (!record) return { ok: false, reason: 'the call is not a JSON object' }
  return readToolCallObject(record)
}

/** Reads a call from an already parsed object. */
export function readToolCallObject(record: Readonly<Record<string, unknown>>): ReadToolCall {
  const name = record.name
  if (typeof name !== 'string' || name === '') return { ok: false, reason: 'the call has no "name" string' }
  // The reasons name the key the model wrote, so that a Llama model is not told about an "arguments" it never used.
  const key = record.arguments == null && record.parameters != null ? 'parameters' : 'arguments'
  let args: unknown = record[key] ?? {}
  if (typeof args === 'string') {
    const inner = parseLenient(args.trim() === '' ? '{}' : args)
    if ('reason' in inner) return { ok: false, name, reason: `its "${key}" string is not JSON: ${inner.reason}` }
    args = inner.value
  }
  const object = asArgumentsObject(args)
  if (!object) return { ok: false, name, reason: `"${key}" is not a JSON object` }
  return { ok: true, name, arguments: object }
}
