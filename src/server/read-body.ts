/**
 * Request bodies: parsed by hono (`c.req.json()`), checked against a JSON Schema by Ajv, so a wrong type names the
 * field (`/text must be string`) instead of failing somewhere inside a turn.
 */
import { Ajv } from 'ajv'
import type { JSONSchemaType } from 'ajv'
import type { Context } from 'hono'
import { badRequest } from './http-errors.js'

const ajv = new Ajv({ allErrors: false, strict: true })

/** A compiled body check. */
export type BodyCheck<T> = (c: Context) => Promise<T>

/** Compiles `schema` into a reader of request bodies; an empty body reads as `{}` when `optional`. */
export function bodyReader<T>(schema: JSONSchemaType<T>, options: { optional?: boolean } = {}): BodyCheck<T> {
  const validate = ajv.compile(schema)
  return async (c) => {
    const text = await c.req.text()
    let value: unknown
    if (text.trim() === '' && options.optional) value = {}
    else {
      try {
        value = JSON.parse(text)
      } catch {
        throw badRequest('The request body is not valid JSON')
      }
    }
    if (!validate(value)) {
      const first = validate.errors?.[0]
      const where = first?.instancePath ? first.instancePath : 'the body'
      throw badRequest(`Invalid request: ${where} ${first?.message ?? 'is invalid'}`)
    }
    return value
  }
}
