/**
 * Smoke test of `npm run bench`: the whole bench on the smallest model (the project's random test model), 2 turns,
 * through the bench modules. No timing assertions: only the report's shape and the token accounting.
 */
import { describe, expect, it } from 'vitest'
import { runBench } from '../../../bench/bench.js'
import { parseBenchOptions } from '../../../bench/options.js'
import { RATIO_KEYS } from '../../../bench/ratios.js'
import { renderReport } from '../../../bench/report.js'
import { getTestModelPath } from '../../helpers/test-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

describe('bench smoke', () => {
  it('runs every contender on the smallest model with 2 turns and reports every ratio key', async () => {
    const model = await getTestModelPath({ variant: 'bench-4k', hyperparameters: { contextLength: 4096 } })
    const options = parseBenchOptions(['--models', model, '--turns', '2', '--threads', '1', '--concurrency', '1,4', '--concurrency-tokens', '8', '--plugin-calls', '3', '--answer-chars', '8', '--micro-tokens', '16', '--grammar-tokens', '24', '--grammar-rounds', '1', '--mixed-prompt-tokens', '300', '--same-format', 'off'])
    if (options === undefined) throw new Error('options expected')
    const report = await runBench(options)
    const json = JSON.parse(JSON.stringify(report)) as typeof report

    expect(Object.keys(json.ratios).sort()).toEqual([...RATIO_KEYS, 'grammar_cost_151k', 'e2e_vs_chat_session_same_format'].sort())
    // The same-format section has its own test (same-format.test.ts); off here, its ratio is null.
    expect(json.ratios.e2e_vs_chat_session_same_format).toBeNull()
    expect(json.models).toHaveLength(1)
    const only = json.models[0]
    expect(only?.summaries.map((s) => s.contender)).toEqual(['raw', 'agent', 'reference', 'chat-session'])
    for (const summary of only?.summaries ?? []) expect(summary.turns).toBe(2)
    // Turn 2 of the script calls the calculator: the agent resumes once, and the count is computed.
    const agent = only?.summaries.find((s) => s.contender === 'agent')
    expect(agent?.toolCalls).toBe(1)
    expect(agent?.resumeAppended).toBeGreaterThan(0)
    expect(typeof json.ratios.resume_evaluated_per_appended).toBe('number')
    expect(json.ratios.resume_evaluated_per_appended).toBeGreaterThan(0)
    // LlamaChatSession really runs its function handler at the same turn (node-llama-cpp's own call syntax).
    const chatSession = only?.summaries.find((s) => s.contender === 'chat-session')
    expect(chatSession?.toolCalls).toBe(1)
    expect(chatSession?.generatedTotal).toBeGreaterThan(0)
    expect(only?.micro?.roundRatios.length).toBe(only?.micro?.rounds)
    // The reference loop re-evaluates the whole prompt on its resume; the agent only the new tokens.
    const reference = only?.summaries.find((s) => s.contender === 'reference')
    expect(reference?.resumeEvaluated).toBeGreaterThan(agent?.resumeEvaluated ?? Infinity)
    expect(json.pluginLatency.map((p) => p.plugin)).toEqual(['calculator', 'equation-solver'])
    expect(only?.concurrency.map((c) => c.sessions)).toEqual([1, 4])
    for (const level of only?.concurrency ?? []) {
      expect(level.rawTokensPerSecond).toBeGreaterThan(0)
      expect(level.perSessionTokensPerSecond).toBeGreaterThan(0)
      expect(level.tokensPerDecode).toBeGreaterThan(0)
    }
    // 4 sessions are compared with one session in the same rounds; the ratio is the median of those pairs.
    const [one, four] = only?.concurrency ?? []
    expect(one?.vsOneRatios).toEqual([])
    expect(four?.vsOneRatios.length).toBe(3)
    expect(json.ratios.concurrency4_vs_1).toBe(four?.pairedVsOne)
    // The engine's own cost per decode, for the same levels, both ways of filling a batch.
    expect(only?.engineBatch?.tokens).toEqual([1, 4])
    for (const ms of [...(only?.engineBatch?.oneSequenceMs ?? []), ...(only?.engineBatch?.spreadMs ?? [])]) expect(ms).toBeGreaterThan(0)
    // Two sessions generated beside the long prompt; the ratio is the larger of their p99/p50 gaps.
    expect(only?.mixed?.promptTokens).toBeGreaterThanOrEqual(300)
    expect(only?.mixed?.generating).toHaveLength(2)
    expect(json.ratios.mixed_p99_vs_p50).toBe(only?.mixed?.p99VsP50)
    expect(json.ratios.decode_coalescing_4).toBeGreaterThan(0)
    expect(json.device).toBe('cpu')
    expect(json.machine.cores).toBeGreaterThan(0)
    // The grammar cost ran on the 151k-vocabulary model: both sides produced tokens, the ratio is theirs.
    expect(json.grammarCost?.vocabSize).toBe(151936)
    expect(json.grammarCost?.constrainedTokensPerSecond).toBeGreaterThan(0)
    expect(json.grammarCost?.unconstrainedTokensPerSecond).toBeGreaterThan(0)
    expect(json.ratios.grammar_cost_151k).toBe(json.grammarCost?.pairedRatio)
    expect(renderReport(report)).toContain('grammar_cost_151k')
    expect(renderReport(report)).toContain('resume_evaluated_per_appended')
  }, 240_000)
})
