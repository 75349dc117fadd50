/**
 * `moss-sft:DIR`: the first human turn of every MOSS SFT conversation in DIR (read at evaluation time only, never
 * shipped), with the plugins its meta instruction enables. Right when the first call's plugin is the one MOSS called
 * (or no call where MOSS wrote `None`) and, for Calculate/Solve where MOSS's result showed values, the plugin's result
 * holds those values.
 */
import { ConfigError } from '../errors.js'
import type { Plugin } from '../plugins/types.js'
import { sameValues } from './builtin-scoring.js'
import { loadSftFirstTurns } from './moss-sft-data.js'
import type { EvalCase, EvalSuite } from './types.js'

/** Loads the suite (at most `limit` cases per category: `plugins/<topic>` and `none/<topic>`). */
export function loadMossSftSuite(dir: string, tools: readonly Plugin[], limit = Infinity): EvalSuite {
  const items = loadSftFirstTurns(dir)
  if (items === undefined || items.length === 0) throw new ConfigError(`moss-sft: no MOSS SFT conversations under ${dir}`)
  const counts = new Map<string, number>()
  const cases: EvalCase[] = []
  for (const item of items) {
    const category = `${item.group}/${item.topic}`
    const n = counts.get(category) ?? 0
    if (n >= limit) continue
    counts.set(category, n + 1)
    const valued = (item.expected === 'Calculate' || item.expected === 'Solve') && item.mossValues.length > 0
    cases.push({
      id: item.id,
      category,
      question: item.human,
      plugins: () => tools,
      enabled: item.enabled,
      stopAfterCalls: true,
      expected: { plugin: item.expected, ...(valued ? { values: item.mossValues } : {}) },
      score: (outcome) => {
        const first = outcome.calls[0]?.name ?? null
        const routed = item.expected === null ? outcome.calls.length === 0 : first === item.expected
        if (!routed) return { correct: false, detail: `called ${first ?? 'nothing'}, MOSS called ${item.expected ?? 'nothing'}` }
        if (!valued) return { correct: true }
        const result = outcome.results[0]
        const ok = result?.ok === true && sameValues(result.output, item.mossValues)
        return ok ? { correct: true } : { correct: false, detail: `right plugin; its result does not show MOSS's values ${item.mossValues.join(', ')}` }
      },
    })
  }
  return { name: `moss-sft:${dir}`, categories: [...counts.keys()], cases }
}
