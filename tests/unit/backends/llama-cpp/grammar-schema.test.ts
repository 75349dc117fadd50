import { describe, expect, it } from 'vitest'
import { argumentsGrammarSchema, toGrammarSchema } from '../../../../src/backends/llama-cpp/grammar-schema.js'

const ANY = { oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'object', additionalProperties: true }, { type: 'array' }] }

describe('JSON Schema restated for the grammar', () => {
  it('a schema that allows any value stays any value (node-llama-cpp alone would force null)', () => {
    expect(toGrammarSchema({})).toEqual(ANY)
    expect(toGrammarSchema({ description: 'anything' })).toEqual(ANY)
    expect(toGrammarSchema(true)).toEqual(ANY)
    expect(toGrammarSchema({ $ref: '#/$defs/Thing' })).toEqual(ANY)
    expect(toGrammarSchema({ type: 'unknown-type' })).toEqual(ANY)
  })

  it('anyOf becomes oneOf, a type list a union, a single allOf its member', () => {
    expect(toGrammarSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toEqual({ oneOf: [{ type: 'string' }, { type: 'null' }] })
    expect(toGrammarSchema({ type: ['integer', 'null'] })).toEqual({ type: ['integer', 'null'] })
    expect(toGrammarSchema({ type: ['string', 'array'], items: { type: 'number' } })).toEqual({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'number' } }] })
    expect(toGrammarSchema({ allOf: [{ type: 'boolean' }] })).toEqual({ type: 'boolean' })
  })

  it('objects keep their required properties (nested too) and an open object takes any members', () => {
    const nested = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] }
    expect(toGrammarSchema(nested)).toEqual({ type: 'object', properties: { a: { type: 'string' } } })
    expect(toGrammarSchema({ type: 'object' })).toEqual({ type: 'object', additionalProperties: true })
    expect(toGrammarSchema({ type: 'object', additionalProperties: { type: 'integer' } })).toEqual({ type: 'object', additionalProperties: { type: 'integer' } })
    expect(toGrammarSchema({ type: 'object', additionalProperties: false })).toEqual({ type: 'object', properties: {} })
    expect(toGrammarSchema({ properties: { x: {} } })).toEqual({ type: 'object', properties: { x: ANY } })
  })

  it('arrays, strings, enums and constants keep what node-llama-cpp can hold', () => {
    expect(toGrammarSchema({ type: 'array', items: {}, minItems: 1, maxItems: 3 })).toEqual({ type: 'array', items: ANY, minItems: 1, maxItems: 3 })
    expect(toGrammarSchema({ type: 'array' })).toEqual({ type: 'array' })
    expect(toGrammarSchema({ type: 'string', maxLength: 10, pattern: '^a' })).toEqual({ type: 'string', maxLength: 10 })
    expect(toGrammarSchema({ type: 'string', format: 'date' })).toEqual({ type: 'string', format: 'date' })
    expect(toGrammarSchema({ type: 'string', format: 'uri' })).toEqual({ type: 'string' })
    expect(toGrammarSchema({ enum: ['c', 'f'] })).toEqual({ enum: ['c', 'f'] })
    expect(toGrammarSchema({ const: 3 })).toEqual({ const: 3 })
  })

  it('a tool without declared properties takes an empty argument object', () => {
    expect(argumentsGrammarSchema(undefined)).toEqual({ type: 'object', properties: {} })
    expect(argumentsGrammarSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} })
    expect(argumentsGrammarSchema({ type: 'object', properties: {} })).toEqual({ type: 'object', properties: {} })
    expect(argumentsGrammarSchema({ type: 'object', properties: { q: { type: 'string' }, n: {} }, required: [] })).toEqual({
      type: 'object',
      properties: { q: { type: 'string' }, n: ANY },
    })
  })
})
