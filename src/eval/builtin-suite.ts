/**
 * `builtin`: the project's hand-written questions (evals/builtin/cases.jsonl, shipped with the package) for the four
 * built-in plugins, chit-chat and tool mentions, scored as evals/builtin/README.md says (right plugin, and for
 * Calculate/Solve the value in the final answer, for Search/Text2Image the key words in the call).
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import type { Plugin } from '../plugins/types.js'
import { scoreBuiltin, type BuiltinCase } from './builtin-scoring.js'
import type { EvalCase, EvalSuite } from './types.js'

/** The commands of the built-in plugins the builtin and MOSS SFT suites offer. */
export const BUILTIN_COMMANDS = ['Search', 'Calculate', 'Solve', 'Text2Image'] as const

/** Reads a cases file (one JSON object a line). Throws {@link ConfigError} when it cannot. */
export function readBuiltinCases(path: string): BuiltinCase[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`builtin: cannot read ${path}`, { cause: error })
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as BuiltinCase
      } catch (error) {
        throw new ConfigError(`${path}:${i + 1} is not a JSON line`, { cause: error })
      }
    })
}

/**
 * The builtin suite over `tools` (plugins whose commands are {@link BUILTIN_COMMANDS}: the CLI gives the real
 * calculator and solver and stand-ins for search and images). At most `limit` cases per category.
 */
export function loadBuiltinSuite(path: string, tools: readonly Plugin[], limit = Infinity): EvalSuite {
  const all = readBuiltinCases(path)
  const categories = [...new Set(all.map((c) => c.category))]
  const cases: EvalCase[] = categories.flatMap((category) =>
    all
      .filter((c) => c.category === category)
      .slice(0, limit)
      .map((c) => ({
        id: c.id,
        category: c.category,
        question: c.question,
        plugins: () => tools,
        enabled: BUILTIN_COMMANDS.filter((cmd) => !(c.disabled ?? []).includes(cmd)),
        // Search and image cases are scored on the call's text; the others need the answer (or the absence of a call).
        stopAfterCalls: c.expect.plugin === 'Search' || c.expect.plugin === 'Text2Image',
        expected: c.expect,
        score: (outcome) => {
          const s = scoreBuiltin(c, outcome)
          if (s.rightOutcome) return { correct: true }
          return { correct: false, detail: s.rightPlugin ? 'right plugin, wrong outcome' : 'wrong plugin' }
        },
      })),
  )
  return { name: 'builtin', categories, cases }
}
