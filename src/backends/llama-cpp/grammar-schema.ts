/**
 * A tool's JSON Schema, restated in the subset node-llama-cpp's JSON-schema grammar understands, so that every value
 * the schema allows stays writable under the grammar. node-llama-cpp reads a schema it does not recognise as `null`:
 * left alone, a property declared `{}` (any value, common in MCP tools), an `anyOf` or a `$ref` could only ever be
 * written as `null`, and an object without `properties` only as `{}`.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp'

type Schema = Readonly<Record<string, unknown>>

const SCALARS: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'null'])
/** String formats node-llama-cpp constrains; others are written as plain strings. */
const STRING_FORMATS = new Set(['date-time', 'time', 'date'])

/** Any JSON value (node-llama-cpp writes `additionalProperties: true` and a bare array as any JSON inside). */
const ANY: GbnfJsonSchema = {
  oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'object', additionalProperties: true }, { type: 'array' }],
} as unknown as GbnfJsonSchema

const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The properties an object must have. node-llama-cpp writes every listed property, in order (it has no `required`):
 * with `required`, only those are kept, so the model is never forced to invent an optional argument.
 */
function objectSchema(schema: Schema): GbnfJsonSchema {
  const properties = isSchema(schema.properties) ? schema.properties : undefined
  if (properties === undefined || Object.keys(properties).length === 0) {
    if (schema.additionalProperties === false) return { type: 'object', properties: {} } as GbnfJsonSchema
    const values = isSchema(schema.additionalProperties) ? toGrammarSchema(schema.additionalProperties) : true
    return { type: 'object', additionalProperties: values } as unknown as GbnfJsonSchema
  }
  const required = Array.isArray(schema.required) ? new Set(schema.required as string[]) : undefined
  const kept = Object.entries(properties).filter(([key]) => required === undefined || required.size === 0 || required.has(key))
  return { type: 'object', properties: Object.fromEntries(kept.map(([key, value]) => [key, toGrammarSchema(value)])) } as unknown as GbnfJsonSchema
}

function arraySchema(schema: Schema): GbnfJsonSchema {
  const bounds = {
    ...(typeof schema.minItems === 'number' ? { minItems: schema.minItems } : {}),
    ...(typeof schema.maxItems === 'number' ? { maxItems: schema.maxItems } : {}),
  }
  if (!isSchema(schema.items)) return { type: 'array', ...bounds } as GbnfJsonSchema
  return { type: 'array', items: toGrammarSchema(schema.items), ...bounds } as unknown as GbnfJsonSchema
}

function stringSchema(schema: Schema): GbnfJsonSchema {
  if (typeof schema.format === 'string' && STRING_FORMATS.has(schema.format)) return { type: 'string', format: schema.format } as GbnfJsonSchema
  return {
    type: 'string',
    ...(typeof schema.minLength === 'number' ? { minLength: schema.minLength } : {}),
    ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
  } as GbnfJsonSchema
}

/** One named type of a schema (`type: "object"`, or one entry of `type: [...]`). */
function typedSchema(type: string, schema: Schema): GbnfJsonSchema {
  if (type === 'object') return objectSchema(schema)
  if (type === 'array') return arraySchema(schema)
  if (type === 'string') return stringSchema(schema)
  if (SCALARS.has(type)) return { type } as GbnfJsonSchema
  return ANY
}

/** Restates one JSON Schema (any depth) for node-llama-cpp's grammar; what it cannot express becomes any value. */
export function toGrammarSchema(schema: unknown): GbnfJsonSchema {
  if (!isSchema(schema)) return ANY
  if ('const' in schema) return { const: schema.const } as GbnfJsonSchema
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { enum: schema.enum } as GbnfJsonSchema
  const union = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined
  if (union !== undefined && union.length > 0) return { oneOf: union.map(toGrammarSchema) } as unknown as GbnfJsonSchema
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return toGrammarSchema(schema.allOf[0])
  if (typeof schema.type === 'string') return typedSchema(schema.type, schema)
  if (Array.isArray(schema.type) && schema.type.length > 0) {
    const types = schema.type.filter((t): t is string => typeof t === 'string')
    if (types.every((t) => SCALARS.has(t))) return { type: types } as unknown as GbnfJsonSchema
    return { oneOf: types.map((t) => typedSchema(t, schema)) } as unknown as GbnfJsonSchema
  }
  if (isSchema(schema.properties)) return objectSchema(schema)
  if (isSchema(schema.items)) return arraySchema(schema)
  return ANY
}

/**
 * The schema of a whole argument object: a tool that declares no properties takes `{}` (not any object: it asked
 * for no arguments); otherwise as {@link toGrammarSchema}.
 */
export function argumentsGrammarSchema(schema: unknown): GbnfJsonSchema {
  if (!isSchema(schema) || !isSchema(schema.properties) || Object.keys(schema.properties).length === 0) return { type: 'object', properties: {} } as GbnfJsonSchema
  return objectSchema(schema)
}
