/**
 * BFCL's parameter descriptions as JSON Schema, so a BFCL function becomes a structured plugin: `dict` → `object`,
 * `float` → `number`, `tuple` → `array`, `any` → no type; properties, items and required lists converted
 * recursively; everything else (descriptions, enums, defaults) kept as written.
 */
import type { JsonSchema } from '../plugins/types.js'
import type { BfclFunction, BfclParam } from './bfcl-checker.js'

const TYPES: Readonly<Record<string, string | undefined>> = {
  dict: 'object',
  object: 'object',
  float: 'number',
  number: 'number',
  tuple: 'array',
  array: 'array',
  list: 'array',
  integer: 'integer',
  int: 'integer',
  string: 'string',
  str: 'string',
  boolean: 'boolean',
  bool: 'boolean',
  any: undefined,
}

/** One BFCL parameter (or the top-level parameters object) as JSON Schema. */
export function toJsonSchema(param: BfclParam): JsonSchema {
  const { type, properties, items, required, ...rest } = param
  const mapped = Object.hasOwn(TYPES, type) ? TYPES[type] : 'string'
  return {
    ...rest,
    ...(mapped !== undefined ? { type: mapped } : {}),
    ...(properties !== undefined ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toJsonSchema(v)])) } : {}),
    ...(items !== undefined ? { items: toJsonSchema(items) } : {}),
    ...(required !== undefined && properties !== undefined ? { required: [...required] } : {}),
  }
}

/** The `parameters` of the plugin standing for `fn`. */
export function functionParameters(fn: BfclFunction): JsonSchema {
  return toJsonSchema({ ...fn.parameters, type: 'dict' })
}
