/**
 * `bfcl:DIR`: BFCL's single-turn AST categories read from a folder in BFCL's own file layout — `BFCL_v*_<category>.json`
 * (one case a line: `id`, `question` as a list of turns of `{role, content}`, `function`) and
 * `possible_answer/<same name>` (`id`, `ground_truth`). Each function becomes a structured plugin that records the
 * call and returns a neutral result: nothing is executed. Scored by {@link checkCase}.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { definePlugin } from '../plugins/define-plugin.js'
import type { Plugin } from '../plugins/types.js'
import { checkCase, type BfclCategory, type BfclFunction, type ExpectedCall } from './bfcl-checker.js'
import { functionParameters } from './bfcl-schema.js'
import type { EvalCase, EvalSuite } from './types.js'

/** The categories read, in report order (file name suffix → checker rule). */
export const BFCL_CATEGORIES: Readonly<Record<string, BfclCategory>> = {
  simple_python: 'simple',
  simple: 'simple',
  multiple: 'multiple',
  parallel: 'parallel',
  parallel_multiple: 'parallel_multiple',
  irrelevance: 'irrelevance',
}

interface BfclCaseLine {
  readonly id: string
  readonly question: readonly (readonly { readonly role: string; readonly content: string }[])[]
  readonly function: readonly BfclFunction[]
}

/** What a BFCL plugin returns: a neutral result, so the model is told the call went through and nothing more. */
export const NEUTRAL_RESULT = 'OK (evaluation: the call was recorded, nothing was executed).'

function readLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as T
      } catch (error) {
        throw new ConfigError(`${path}:${i + 1} is not a JSON line`, { cause: error })
      }
    })
}

/** The plugins of one case's functions (created on demand; each only records). */
export function bfclPlugins(functions: readonly BfclFunction[]): Plugin[] {
  return functions.map((fn) =>
    definePlugin<Record<string, unknown> | string>({
      name: fn.name,
      description: fn.description ?? fn.name,
      parameters: functionParameters(fn),
      run: () => NEUTRAL_RESULT,
    }),
  )
}

/** The user's message of a single-turn case: its first turn's messages (a system message first, when present). */
function questionText(line: BfclCaseLine): string {
  return (line.question[0] ?? []).map((m) => m.content).join('\n\n')
}

/**
 * Loads the BFCL categories present in `dir` (at most `limit` cases of each, first ones first). Throws
 * {@link ConfigError} when the folder holds none.
 */
export function loadBfclSuite(dir: string, limit = Infinity): EvalSuite {
  if (!existsSync(dir)) throw new ConfigError(`bfcl: no folder ${dir}`)
  const files = readdirSync(dir)
  const cases: EvalCase[] = []
  const categories: string[] = []
  for (const [name, rule] of Object.entries(BFCL_CATEGORIES)) {
    const file = files.find((f) => new RegExp(`^BFCL_v\\d+_${name}\\.json$`).test(f))
    if (file === undefined) continue
    categories.push(name)
    const answers = new Map<string, readonly ExpectedCall[]>()
    if (rule !== 'irrelevance') {
      const answerPath = join(dir, 'possible_answer', file)
      if (!existsSync(answerPath)) throw new ConfigError(`bfcl: ${file} has no possible_answer/${file}`)
      for (const a of readLines<{ id: string; ground_truth: ExpectedCall[] }>(answerPath)) answers.set(a.id, a.ground_truth)
    }
    for (const line of readLines<BfclCaseLine>(join(dir, file)).slice(0, limit)) {
      const expected = answers.get(line.id) ?? []
      if (rule !== 'irrelevance' && expected.length === 0) throw new ConfigError(`bfcl: ${line.id} has no possible answer`)
      cases.push({
        id: line.id,
        category: name,
        question: questionText(line),
        plugins: () => bfclPlugins(line.function),
        stopAfterCalls: true,
        expected: rule === 'irrelevance' ? 'no call' : expected,
        score: (outcome) => {
          const verdict = checkCase(rule, line.function, outcome.calls, expected)
          return verdict.valid ? { correct: true } : { correct: false, detail: verdict.error ?? verdict.errorType ?? 'wrong' }
        },
      })
    }
  }
  if (cases.length === 0) throw new ConfigError(`bfcl: ${dir} holds no BFCL_v*_<category>.json file (${Object.keys(BFCL_CATEGORIES).join(', ')})`)
  return { name: `bfcl:${dir}`, categories, cases }
}
