/**
 * The BFCL AST checker, rule by rule, on functions and answers written for these tests (BFCL's documented rules:
 * names, required and unknown parameters, int→float, optional parameters with "", string normalisation, lists,
 * dicts, lists of dicts, "variables", parallel matching in any order, irrelevance).
 */
import { describe, expect, it } from 'vitest'
import { checkCall, checkCase, standardizeString, type BfclFunction, type ExpectedCall } from '../../../src/eval/bfcl-checker.js'
import { pyEquals } from '../../../src/eval/python-values.js'

const kettle: BfclFunction = {
  name: 'kitchen.boil_water',
  parameters: {
    type: 'dict',
    properties: { litres: { type: 'float' }, celsius: { type: 'integer' }, note: { type: 'string' }, loud: { type: 'boolean' } },
    required: ['litres'],
  },
}
const kettleAnswer: ExpectedCall = { 'kitchen.boil_water': { litres: [1.5, 2], celsius: ['', 100], note: ['', 'for tea'], loud: ['', false] } }
const call = (args: Record<string, unknown>, name = 'kitchen.boil_water') => ({ name, arguments: args })

describe('standardizeString (BFCL string normalisation)', () => {
  it.each([
    ['April 1, 2024', 'april12024'],
    ['New-York_City', 'newyorkcity'],
    ["it's 3*4^2 / 2.", 'it"s3422'],
    ['  Spaces  ', 'spaces'],
    ['北京 市', '北京市'],
  ])('%j → %j', (input, output) => expect(standardizeString(input)).toBe(output))
})

describe('Python equality of JSON values', () => {
  it('treats 1, 1.0 and true as equal, strings strictly, lists and dicts element by element', () => {
    expect(pyEquals(1, 1.0)).toBe(true)
    expect(pyEquals(true, 1)).toBe(true)
    expect(pyEquals('1', 1)).toBe(false)
    expect(pyEquals([1, [2, 3]], [1.0, [2, 3]])).toBe(true)
    expect(pyEquals([1, 2], [2, 1])).toBe(false)
    expect(pyEquals({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true)
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(pyEquals(null, null)).toBe(true)
  })
})

describe('one call (simple_function_checker)', () => {
  it('accepts the right name with accepted values', () => {
    expect(checkCall(kettle, call({ litres: 1.5 }), kettleAnswer)).toEqual({ valid: true })
    expect(checkCall(kettle, call({ litres: 2, celsius: 100, note: 'For tea', loud: false }), kettleAnswer)).toEqual({ valid: true })
  })
  it('refuses another function name', () => {
    expect(checkCall(kettle, call({ litres: 1.5 }, 'kitchen_boil_water'), kettleAnswer).errorType).toBe('simple_function_checker:wrong_func_name')
  })
  it('refuses a missing required parameter', () => {
    expect(checkCall(kettle, call({ celsius: 100 }), kettleAnswer).errorType).toBe('simple_function_checker:missing_required')
  })
  it('refuses a parameter the function does not declare, or the answer does not list', () => {
    expect(checkCall(kettle, call({ litres: 1.5, colour: 'red' }), kettleAnswer).errorType).toBe('simple_function_checker:unexpected_param')
    const narrow: ExpectedCall = { 'kitchen.boil_water': { litres: [1.5] } }
    expect(checkCall(kettle, call({ litres: 1.5, celsius: 100 }), narrow).errorType).toBe('simple_function_checker:unexpected_param')
  })
  it('accepts an int for a float parameter (Python promotion) but not a float for an integer one', () => {
    expect(checkCall(kettle, call({ litres: 2 }), kettleAnswer).valid).toBe(true)
    expect(checkCall(kettle, call({ litres: 1.5, celsius: 99.5 }), kettleAnswer).errorType).toBe('type_error:simple')
  })
  it('refuses wrong types: a string for a number, a number for a boolean, a boolean for an integer', () => {
    expect(checkCall(kettle, call({ litres: '1.5' }), kettleAnswer).errorType).toBe('type_error:simple')
    expect(checkCall(kettle, call({ litres: 1.5, loud: 0 }), kettleAnswer).errorType).toBe('type_error:simple')
    expect(checkCall(kettle, call({ litres: 1.5, celsius: true }), kettleAnswer).errorType).toBe('type_error:simple')
  })
  it('refuses a value outside the accepted ones', () => {
    expect(checkCall(kettle, call({ litres: 3 }), kettleAnswer).errorType).toBe('value_error:others')
    expect(checkCall(kettle, call({ litres: 1.5, celsius: 90 }), kettleAnswer).errorType).toBe('value_error:others')
  })
  it('lets an optional parameter ("" accepted) be omitted, and refuses omitting one without ""', () => {
    expect(checkCall(kettle, call({ litres: 1.5 }), kettleAnswer).valid).toBe(true)
    const strict: ExpectedCall = { 'kitchen.boil_water': { litres: [1.5], celsius: [100] } }
    expect(checkCall(kettle, call({ litres: 1.5 }), strict).errorType).toBe('simple_function_checker:missing_optional')
  })
  it('compares strings after normalisation (case, spaces, punctuation), never as substrings', () => {
    expect(checkCall(kettle, call({ litres: 1.5, note: 'FOR-TEA.' }), kettleAnswer).valid).toBe(true)
    expect(checkCall(kettle, call({ litres: 1.5, note: 'for green tea' }), kettleAnswer).errorType).toBe('value_error:string')
  })
  it('accepts a value of the answers\' own type where the declared type differs (a "variable")', () => {
    const fn: BfclFunction = { name: 'f', parameters: { type: 'dict', properties: { n: { type: 'integer' } }, required: ['n'] } }
    expect(checkCall(fn, call({ n: 'count' }, 'f'), { f: { n: ['count'] } }).valid).toBe(true)
    expect(checkCall(fn, call({ n: 'other' }, 'f'), { f: { n: ['count'] } }).errorType).toBe('value_error:others')
  })
})

describe('lists, dicts and lists of dicts', () => {
  const beds: BfclFunction = {
    name: 'garden.plan_beds',
    parameters: {
      type: 'dict',
      properties: {
        crops: { type: 'array', items: { type: 'string' } },
        weights: { type: 'array', items: { type: 'float' } },
        grid: { type: 'array', items: { type: 'array' } },
        size: { type: 'dict', properties: { width: { type: 'integer' }, length: { type: 'integer' } } },
        rows: { type: 'array', items: { type: 'dict' } },
        corners: { type: 'tuple', items: { type: 'integer' } },
      },
      required: ['crops'],
    },
  }
  const answer: ExpectedCall = {
    'garden.plan_beds': {
      crops: [['carrots', 'leeks'], ['Carrot', 'Leek']],
      weights: ['', [1.5, 2.0]],
      grid: ['', [[1, 2], [3, 4]]],
      size: ['', { width: [2], length: [3, ''] }],
      rows: ['', [{ crop: ['carrots'], count: [10] }, { crop: ['leeks'], count: [5, 6] }]],
      corners: ['', [0, 4]],
    },
  }
  const plan = (args: Record<string, unknown>) => checkCall(beds, call(args, 'garden.plan_beds'), answer)

  it('compares lists in order, string elements normalised', () => {
    expect(plan({ crops: ['CARROTS', 'leeks'] }).valid).toBe(true)
    expect(plan({ crops: ['carrot', 'leek'] }).valid).toBe(true)
    expect(plan({ crops: ['leeks', 'carrots'] }).errorType).toBe('value_error:list/tuple')
    expect(plan({ crops: ['carrots'] }).errorType).toBe('value_error:list/tuple')
  })
  it('type-checks list elements one level deep (an int element of a float list passes as its float)', () => {
    expect(plan({ crops: ['carrots', 'leeks'], weights: [1.5, 2] }).valid).toBe(true)
    expect(plan({ crops: ['carrots', 3] }).errorType).toBe('type_error:nested')
    expect(plan({ crops: 'carrots, leeks' }).errorType).toBe('type_error:simple')
  })
  it('compares nested lists by value', () => {
    expect(plan({ crops: ['carrots', 'leeks'], grid: [[1, 2], [3, 4]] }).valid).toBe(true)
    expect(plan({ crops: ['carrots', 'leeks'], grid: [[1, 2], [4, 3]] }).errorType).toBe('value_error:list/tuple')
  })
  it('treats a tuple as a list', () => {
    expect(plan({ crops: ['carrots', 'leeks'], corners: [0, 4] }).valid).toBe(true)
  })
  it('checks dicts key by key: unknown keys, wrong values, missing keys unless optional', () => {
    expect(plan({ crops: ['carrots', 'leeks'], size: { width: 2, length: 3 } }).valid).toBe(true)
    expect(plan({ crops: ['carrots', 'leeks'], size: { width: 2 } }).valid).toBe(true)
    expect(plan({ crops: ['carrots', 'leeks'], size: { length: 3 } }).errorType).toBe('value_error:dict_key')
    expect(plan({ crops: ['carrots', 'leeks'], size: { width: 2, depth: 1 } }).errorType).toBe('value_error:dict_key')
    expect(plan({ crops: ['carrots', 'leeks'], size: { width: 4, length: 3 } }).errorType).toBe('value_error:dict_value')
  })
  it('checks lists of dicts position by position', () => {
    const rows = [{ crop: 'Carrots', count: 10 }, { crop: 'leeks', count: 6 }]
    expect(plan({ crops: ['carrots', 'leeks'], rows }).valid).toBe(true)
    expect(plan({ crops: ['carrots', 'leeks'], rows: [...rows].reverse() }).errorType).toBe('value_error:dict_value')
    expect(plan({ crops: ['carrots', 'leeks'], rows: rows.slice(0, 1) }).errorType).toBe('value_error:list_dict_count')
  })
})

describe('whole cases (ast_checker by category)', () => {
  const tide: BfclFunction = { name: 'tide_table', parameters: { type: 'dict', properties: { harbour: { type: 'string' } }, required: ['harbour'] } }
  const tides: ExpectedCall[] = [{ tide_table: { harbour: ['Brest'] } }, { tide_table: { harbour: ['Dover'] } }]
  const at = (harbour: string) => ({ name: 'tide_table', arguments: { harbour } })

  it('simple: exactly one call', () => {
    expect(checkCase('simple', [tide], [at('Brest')], [tides[0]!]).valid).toBe(true)
    expect(checkCase('simple', [tide], [at('Brest'), at('Brest')], [tides[0]!]).errorType).toBe('simple:wrong_count')
    expect(checkCase('simple', [tide], [], [tides[0]!]).errorType).toBe('simple:wrong_count')
  })
  it('multiple: the one call is checked against the expected function among several', () => {
    expect(checkCase('multiple', [kettle, tide], [at('Brest')], [tides[0]!]).valid).toBe(true)
    expect(checkCase('multiple', [kettle, tide], [call({ litres: 1.5 })], [tides[0]!]).errorType).toBe('simple_function_checker:wrong_func_name')
  })
  it('parallel: calls match the expected ones in any order, each used once', () => {
    expect(checkCase('parallel', [tide], [at('Dover'), at('brest')], tides).valid).toBe(true)
    expect(checkCase('parallel', [tide], [at('Brest'), at('Brest')], tides).errorType).toBe('parallel_function_checker_no_order:cannot_find_match')
    expect(checkCase('parallel', [tide], [at('Brest')], tides).errorType).toBe('parallel:wrong_count')
  })
  it('parallel_multiple: several functions, any order', () => {
    const expected: ExpectedCall[] = [kettleAnswer, tides[1]!]
    expect(checkCase('parallel_multiple', [kettle, tide], [at('Dover'), call({ litres: 2 })], expected).valid).toBe(true)
    expect(checkCase('parallel_multiple', [kettle, tide], [at('Dover'), call({ litres: 5 })], expected).valid).toBe(false)
  })
  it('irrelevance: right only without any call', () => {
    expect(checkCase('irrelevance', [tide], [], []).valid).toBe(true)
    expect(checkCase('irrelevance', [tide], [at('Brest')], []).errorType).toBe('irrelevance:called')
  })
})
