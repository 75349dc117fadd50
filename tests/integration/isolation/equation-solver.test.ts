import { afterAll, describe, expect, it } from 'vitest'
import { PluginError } from '../../../src/index.js'
import { equationSolver, NO_RESULT } from '../../../plugins/index.js'

const solver = equationSolver({ timeoutMs: 4000 })
afterAll(async () => {
  await solver.dispose?.()
})

describe('equation solver plugin (real child process)', () => {
  it('declares the MOSS command', () => {
    expect(solver.command).toBe('Solve')
    expect(solver.name).toBe('equation-solver')
    expect(solver.argument).toBe('equation')
  })

  it.each([
    ['求解 x²－5x＋6＝0', 'x_0 = 2\nx_1 = 3'],
    ['x/4=(120-x)/5', 'x = 160/3'],
    ['x+y=500;5x+8y=4000', 'x = 0\ny = 500'],
    ['sin(x)=x/2', 'x_0 = -1.89549426703398\nx_1 = 0\nx_2 = 1.89549426703398'],
    ['e^x=3x', 'x_0 = 0.619061286735945\nx_1 = 1.51213455165784'],
    ['x^2+1=0', 'x_0 = -i\nx_1 = i'],
    ['x^2+y^2=25, x-y=1', 'x_0 = -3\ny_0 = -4\nx_1 = 4\ny_1 = 3'],
    ['x*y=6, x+y=5', 'x_0 = 2\ny_0 = 3\nx_1 = 3\ny_1 = 2'],
    ['12*(x+y)=10;9*(y+z)=15;18*(x+z)=20', 'x = 5/36\ny = 25/36\nz = 35/36'],
    ['x+y=400;0.1x+0.12y=45', 'x = 150.000000000000\ny = 250.000000000000'],
    ['2/5*x+3/5*x=130', 'x = 130.000000000000'],
    ['x+14=(37-x)*0.25', 'x = -3.80000000000000'],
    ['3x*4x=180', 'x_0 = -sqrt(15)\nx_1 = sqrt(15)'],
    ['(x + 5)^2 = 169', 'x_0 = -18\nx_1 = 8'],
    ['6x^2=2400;x^3', 'x_0 = -20\nx_1 = 20'],
    ['a^2=16^2+25^2-2*16*25*cos(120); a', 'a_0 = -15.1543796830735\na_1 = 15.1543796830735'],
    ['sqrt(x)+x=6', 'x = 4'],
    ['10^x=1000', 'x = 3'],
    ['x^2+2x+5=0', 'x_0 = -1-2*i\nx_1 = -1+2*i'],
  ])('%s', async (equation, expected) => {
    expect((await solver.run(equation)).text).toBe(expected)
  })

  it.each([
    ['x=x', /identity/],
    ['x+1=x', /contradiction/],
    ['x^2>4', /inequalities/],
    ['x^1000000=2', /degree 1000000/],
    ['x+y=25', /2 unknowns but 1 equation/],
    ['sin(x)=0', /too many solutions/],
    ['x'.repeat(2000) + '=1', /exceeds the limit/],
  ])('refuses %s with No result. and a reason', async (equation, why) => {
    const error = await solver.run(equation).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PluginError)
    expect((error as PluginError).message).toBe(NO_RESULT)
    expect(String((error as PluginError).cause instanceof Error ? ((error as PluginError).cause as Error).message : '')).toMatch(why)
    expect((await solver.run('2x=4')).text).toBe('x = 2')
  })
})
