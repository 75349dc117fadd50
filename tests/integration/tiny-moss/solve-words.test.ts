/**
 * The tiny model's word problems for the equation solver: the equation the thought writes and the command copies is
 * one the project's real solver (a child process) solves, always to integers, and the question never states it.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { equationSolver } from '../../../plugins/index.js'
import { Rng } from '../../../tools/tiny-moss/generator/rng.js'
import { solveWordsTurn } from '../../../tools/tiny-moss/generator/solve-words.js'

const solver = equationSolver()
afterAll(async () => {
  await solver.dispose?.()
})

describe('solver word problems', () => {
  it('set up equations the real solver solves to whole numbers, in English and Chinese', async () => {
    const rng = new Rng(21)
    const kinds = new Set<string>()
    for (let i = 0; i < 60; i++) {
      const lang = i % 2 === 0 ? 'en' : 'zh'
      const turn = solveWordsTurn(rng, lang, 'train')
      const equation = turn.calls[0]!.input
      expect(turn.calls[0]!.command).toBe('Solve')
      expect(turn.thought).toContain(equation)
      expect(turn.human).not.toContain(equation)
      const { text } = await solver.run({ equation })
      const lines = String(text).trim().split('\n')
      for (const line of lines) expect(line, `${equation} → ${String(text)}`).toMatch(/^[xy](_\d)? = -?\d+$/)
      // A system has x and y; an equation said as "x squared equals …" has its two roots.
      expect(lines.length).toBe(equation.includes(';') || equation.includes('^2') ? 2 : 1)
      expect(turn.answer([String(text)])).toMatch(/x(_\d)? ?= ?-?\d+/)
      kinds.add(equation.replace(/\d+/g, 'n'))
    }
    expect(kinds.size).toBeGreaterThanOrEqual(7)
    expect([...kinds].some((k) => k.startsWith('x^n')), [...kinds].join(' ')).toBe(true)
  })
})
