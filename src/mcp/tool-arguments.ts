/**
 * The arguments object an MCP tool is called with, from what the format parsed: an object as is (JSON-argument
 * formats), or a string (MOSS's `Name("…")`): a JSON object text is parsed; otherwise the string becomes the tool's
 * only parameter, or its only required one (converted when that parameter is a number or boolean); a tool without
 * parameters gets `{}`.
 */
import { InvalidInputError } from '../errors.js'
import type { JsonSchema } from '../plugins/types.js'

function typeOf(schema: JsonSchema | undefined): string | undefined {
  const type = schema?.type
  return Array.isArray(type) ? (type as string[]).find((t) => t !== 'null') : (type as string | undefined)
}

function coerce(text: string, schema: JsonSchema | undefined): unknown {
  const type = typeOf(schema)
  if (type === 'number' || type === 'integer') {
    const value = Number(text.trim())
    if (text.trim() !== '' && Number.isFinite(value)) return value
  }
  if (type === 'boolean' && /^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true'
  return text
}

/** The arguments object for a call of a tool with input schema `schema`. Throws {@link InvalidInputError}. */
export function toolArguments(tool: string, schema: JsonSchema, input: unknown): Record<string, unknown> {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input as Record<string, unknown>
  const properties = Object.keys(schema.properties ?? {})
  if (typeof input !== 'string') {
    throw new InvalidInputError(`Tool "${tool}" takes an object of arguments (${properties.join(', ') || 'none'})`)
  }
  const text = input.trim()
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
    } catch {
      // Not JSON: handled below as a plain string.
    }
  }
  if (properties.length === 0) return {}
  const required = (schema.required ?? []).filter((name) => properties.includes(name))
  const single = properties.length === 1 ? properties[0] : required.length === 1 ? required[0] : undefined
  if (single !== undefined) return { [single]: coerce(input, schema.properties?.[single]) }
  throw new InvalidInputError(
    `Tool "${tool}" takes several arguments: write them as a JSON object, e.g. {${properties.map((p) => `"${p}": …`).join(', ')}}`,
  )
}
