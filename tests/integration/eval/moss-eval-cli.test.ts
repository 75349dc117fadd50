/**
 * `moss eval` end to end through the built CLI (node bin/moss.js, dist/): real inference on the bundled model and on
 * the random-weight Qwen3-vocabulary model in a native format (scores are low on random weights: these tests hold the
 * harness — suites, agent, scoring, output shapes, resume, report — never a model's score).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { realVocabModelPath } from '../../../tools/gguf/real-vocab-models.js'
import { ROOT, runCli } from '../cli/run-cli.js'

const FIXTURE = 'bfcl:tests/fixtures/bfcl'
const SHARED_BFCL = join(ROOT, '..', 'shared', 'bfcl')
const tmp = mkdtempSync(join(tmpdir(), 'moss-eval-'))
const CATEGORIES = ['simple_python', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance']

interface EvalJson {
  suite: string
  runs: { run: string; categories: { category: string; cases: number; correct: number; accuracy: number; validCallRate: number | null; callRate: number; tokensPerSecond: number; msPerCase: number }[]; overall: { cases: number; accuracy: number } }[]
  results: { run: string; id: string; category: string; correct: boolean; validCalls: boolean; called: boolean; question: string; expected: unknown; calls: { name: string; arguments: object; input: string }[]; answer: string; generated: number; ms: number }[]
}

function parse(stdout: string): EvalJson {
  return JSON.parse(stdout) as EvalJson
}

describe('moss eval on the bundled model', () => {
  it('bfcl: (our BFCL-format fixture), grammar on and off, --json shape, --resume appends and skips', async () => {
    const resume = join(tmp, 'bfcl.jsonl')
    const args = ['eval', '--suite', FIXTURE, '--limit', '1', '--grammar', 'both', '--json', '--threads', '1', '--resume', resume]
    const first = await runCli(args)
    expect(first.stderr).toContain('bundled tiny-moss · moss · grammar on')
    expect(first.code).toBe(0)
    const data = parse(first.stdout)
    expect(data.suite).toBe('bfcl:tests/fixtures/bfcl')
    expect(data.runs.map((r) => r.run)).toEqual(['bundled tiny-moss · moss · grammar on', 'bundled tiny-moss · moss · grammar off'])
    for (const run of data.runs) {
      expect(run.categories.map((c) => c.category)).toEqual(CATEGORIES)
      for (const c of run.categories) {
        expect(c.cases).toBe(1)
        expect(c.accuracy).toBeGreaterThanOrEqual(0)
        expect(c.accuracy).toBeLessThanOrEqual(1)
        expect(c.correct).toBe(Math.round(c.accuracy * c.cases))
        expect(c.msPerCase).toBeGreaterThan(0)
      }
      expect(run.overall.cases).toBe(5)
    }
    expect(data.results).toHaveLength(10)
    for (const r of data.results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['run', 'id', 'category', 'correct', 'validCalls', 'called', 'question', 'expected', 'calls', 'answer', 'generated', 'ms']))
      expect(r.called).toBe(r.calls.length > 0)
      if (r.category === 'irrelevance') expect(r.correct).toBe(!r.called)
      else if (!r.called) expect(r.correct).toBe(false)
    }
    expect(readFileSync(resume, 'utf8').trim().split('\n')).toHaveLength(10)

    const again = await runCli(args)
    expect(again.code).toBe(0)
    expect(parse(again.stdout).results).toEqual(data.results)
    expect(readFileSync(resume, 'utf8').trim().split('\n')).toHaveLength(10)
  }, 300_000)

  it('builtin: the shipped hand-written set, a table per category with the run figures', async () => {
    const { code, stdout } = await runCli(['eval', '--suite', 'builtin', '--limit', '1', '--grammar', 'on', '--threads', '1'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^suite builtin: 6 cases/)
    for (const row of ['calculate', 'solve', 'search', 'text2image', 'chitchat', 'mentions-tool', 'all', 'valid calls', 'tokens/s', 's/case']) {
      expect(stdout).toMatch(new RegExp(`^${row} +`, 'm'))
    }
    expect(stdout).toMatch(/^all +\d+\.\d% \(\d\/6\)$/m)
  }, 300_000)

  it.skipIf(!existsSync(SHARED_BFCL))('bfcl: on BFCL\'s own files (skipped when ../shared/bfcl is absent: they are not part of the repository)', async () => {
    const { code, stdout } = await runCli(['eval', '--suite', `bfcl:${SHARED_BFCL}`, '--limit', '1', '--grammar', 'on', '--json', '--threads', '1'])
    expect(code).toBe(0)
    const data = parse(stdout)
    expect(data.runs[0]?.categories.map((c) => c.category)).toEqual(CATEGORIES)
    expect(data.results.map((r) => r.id)).toEqual(['simple_python_0', 'multiple_0', 'parallel_0', 'parallel_multiple_0', 'irrelevance_0'])
  }, 300_000)

  it('refuses an unknown suite and a missing --suite with one line and exit code 2', async () => {
    const unknown = await runCli(['eval', '--suite', 'nope'])
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, 'moss: unknown suite "nope" (builtin, bfcl:DIR, moss-sft:DIR or a cases file)'])
    const missing = await runCli(['eval'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('moss eval needs --suite')
  })
})

describe('moss eval on the Qwen3-vocabulary model in a native format', () => {
  it('runs builtin and bfcl: in the format its chat template calls for (auto → qwen), grammar on and off', async () => {
    const model = await realVocabModelPath('qwen3')
    for (const suite of ['builtin', FIXTURE]) {
      const { code, stdout, stderr } = await runCli(['eval', '--model', model, '--suite', suite, '--limit', '1', '--json', '--threads', '1', '--ctx', '2048', '--max-tokens', '24'])
      expect([code, stderr.split('\n').filter((l) => /error/i.test(l))]).toEqual([0, []])
      const data = parse(stdout)
      expect(data.runs.map((r) => r.run)).toEqual([`${basename(model)} · qwen · grammar on`, `${basename(model)} · qwen · grammar off`])
      expect(data.results.length).toBe(2 * (suite === 'builtin' ? 6 : 5))
      expect(data.results.every((r) => r.generated > 0)).toBe(true)
    }
  }, 600_000)
})
