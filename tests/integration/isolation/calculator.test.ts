import { afterAll, describe, expect, it } from 'vitest'
import { AbortedError, PluginError } from '../../../src/index.js'
import { calculator, NO_CALCULATION_RESULTS } from '../../../plugins/index.js'

// Short kill timer so that the containment cases finish quickly; the default is 5 s.
const calc = calculator({ timeoutMs: 2000 })
afterAll(async () => {
  await calc.dispose?.()
})

async function failureOf(expression: string): Promise<PluginError> {
  const error = await calc.run(expression).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PluginError)
  expect((error as PluginError).message).toBe(NO_CALCULATION_RESULTS)
  return error as PluginError
}

describe('calculator plugin (real child process)', () => {
  it('declares the MOSS command', () => {
    expect(calc.command).toBe('Calculate')
    expect(calc.name).toBe('calculator')
    expect(calc.argument).toBe('expression')
  })

  it.each([
    ['３×４÷２', '6.0'],
    ['（1+2）×3', '9'],
    ['１２３＋４５６', '579'],
    ['pi*3^2*20', '565.4866776461628'],
    ['90 km/h to m/s', '25 m / s'],
    ['60/6', '10.0'],
    ['12*3', '36'],
    ['sqrt(100)', '10.0'],
    ['4*6.5*0.9', '23.400000000000002'],
    ['125^(1/3)', '4.999999999999999'],
    ['p=(1300+700+1100)/2;sqrt(p*(p-1300)*(p-700)*(p-1100))', '384991.88303131796'],
    ['7**2+14**2', '245'],
    ['fraction(1,3)+fraction(1,6)', '1/2'],
    ['2^100', '1267650600228229401496703205376'],
    ['1e16', '1e+16'],
    ['sqrt(-4)', '2i'],
    ['3 乘以 4 加 2', '14'],
  ])('%s → %s', async (expression, expected) => {
    expect((await calc.run(expression)).text).toBe(expected)
  })

  it.each(['120=8A+5B+2C', '(x+y)^2 - xy', '1/0', 'f(x)=x^2', 'sin', ''])('%s → No calculation results.', async (expression) => {
    await failureOf(expression)
  })

  it.each([
    ['zeros(20000,20000)', /memory|no result within/],
    ['sum(range(1,1e8))', /memory|no result within/],
    ['factorial(bignumber(1e6))', /factorial argument/],
    ['[].constructor', /No access to property "constructor"/],
    ['cos.constructor("return process")()', /.+/],
    ['f = sin; f.constructor', /No access to property "constructor"/],
    ['{}.__proto__', /No access to property "__proto__"/],
    ['a={}; a["__proto__"].polluted = 1', /No access to property "__proto__"/],
    ['a={}; a.constructor.prototype.polluted = 1', /No access to property "constructor"/],
    ['evaluate("1+1")', /disabled/],
    ['import({x: 1})', /disabled/],
    ['x'.repeat(100_000), /exceeds the limit/],
  ])('contains %s with a typed error, and the next call still works', async (expression, why) => {
    const error = await failureOf(expression)
    expect(String((error.cause as Error).message)).toMatch(why)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await calc.run('1+1')).text).toBe('2')
  })

  it('aborting kills the evaluation and rejects with AbortedError', async () => {
    const controller = new AbortController()
    const pending = calc.run('sum(range(1,3e6))^2 + det(ones(200,200))', { signal: controller.signal }).catch((e: unknown) => e)
    controller.abort()
    expect(await pending).toBeInstanceOf(AbortedError)
    expect((await calc.run('2+3')).text).toBe('5')
  })
})
