/**
 * The like-for-like dialogue (issue 18, item 3) on the random-weight model with Qwen3's real vocabulary: moss-agent in
 * the `qwen` format and LlamaChatSession with QwenChatWrapper both make the script's three tool calls through their
 * own machinery and generate comparable token counts (the section throws otherwise). No timing assertions.
 */
import { describe, expect, it } from 'vitest'
import { calculator } from '../../../plugins/calculator/index.js'
import { equationSolver } from '../../../plugins/equation-solver/index.js'
import { parseBenchOptions } from '../../../bench/options.js'
import { measureSameFormat } from '../../../bench/same-format.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

describe('same-format bench section', () => {
  it('runs the 10-turn qwen dialogue with 3 tool calls on each contender and reports their ratio', async () => {
    const options = parseBenchOptions(['--models', 'none', '--grammar-tokens', '0', '--plugin-calls', '0'])
    if (options === undefined) throw new Error('options expected')
    const plugins = [calculator(), equationSolver()]
    try {
      const result = await measureSameFormat(options, plugins)
      expect(result.summaries.map((s) => s.contender)).toEqual(['agent', 'chat-session'])
      for (const summary of result.summaries) {
        expect(summary.turns).toBe(10)
        expect(summary.toolCalls).toBe(3)
        expect(summary.generatedTotal).toBeGreaterThan(0)
      }
      // moss-agent resumes after each call by evaluating exactly what was appended.
      const agent = result.summaries[0]
      expect(agent?.resumeEvaluated).toBe(agent?.resumeAppended)
      expect(result.resumeEvaluated.agent).toHaveLength(3)
      expect(result.ratio).toBeGreaterThan(0)
      expect(Object.keys(result.turnsMs)).toEqual(['agent', 'chat-session'])
      expect(result.turnsMs.agent?.withCall).toBeGreaterThan(0)
    } finally {
      await Promise.all(plugins.map((p) => p.dispose?.()))
    }
  }, 300_000)
})
