/**
 * The moss-sft suite on synthetic samples in the published layout (no MOSS text): routing against MOSS's first
 * command (or None) with the plugins the meta instruction enables, and Calculate values against MOSS's result.
 * A scripted MOSS model answers each question.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMossSftSuite } from '../../../src/eval/moss-sft-suite.js'
import { runSuite } from '../../../src/eval/run-suite.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'
import { ScriptedBackend } from '../../../src/testing/index.js'

const root = mkdtempSync(join(tmpdir(), 'sft-suite-'))
const meta = 'Base.\nCapabilities and tools that MOSS can possess.\n- Inner thoughts: enabled.\n- Web search: enabled. API: Search(query)\n- Calculator: enabled. API: Calculate(expression)\n'
const sample = (dir: string, name: string, human: string, commands: string, results: string, metaText = meta): void => {
  mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(join(root, dir, name), JSON.stringify({
    meta_instruction: metaText,
    chat: { turn_1: { Human: `<|Human|>: ${human}<eoh>\n`, Commands: `<|Commands|>: ${commands}<eoc>\n`, 'Tool Responses': results } },
  }))
}
sample('conversation_with_plugins/calculator', 'a.json', 'What is 6*7?', 'Calculate("6*7")', `<|Results|>:\nCalculate("6*7") => '42'\n<eor>\n`)
sample('conversation_with_plugins/calculator', 'b.json', 'What is 5*5?', 'Calculate("5*5")', `<|Results|>:\nCalculate("5*5") => '25'\n<eor>\n`)
sample('conversation_with_plugins/web_search', 'c.json', 'Who built the bridge?', 'Search("bridge builder")', '<|Results|>:\nSearch("bridge builder") =>\n<|1|>: \'x\'\n<eor>\n')
// Search disabled, the calculator enabled: MOSS called nothing.
sample('conversation_without_plugins/helpful', 'd.json', 'Tell me a joke', 'None', '<|Results|>: None<eor>\n', meta.replace('enabled. API: Search(query)', 'disabled.'))

/** A calculator that knows two products, and a search stand-in. */
const tools = [
  definePlugin({ name: 'calculator', command: 'Calculate', label: 'Calculator', description: 'calc', parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] }, run: (e) => ({ '6*7': '42', '5*5': '25', '5+5': '10' })[e] ?? 'no result' }),
  definePlugin({ name: 'search', command: 'Search', label: 'Web search', description: 'search', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] }, run: () => 'nothing' }),
]

function model(commands: Record<string, string>): ScriptedBackend {
  return new ScriptedBackend([], {
    respond: (transcript) => {
      const [question, cmd] = Object.entries(commands).find(([q]) => transcript.includes(q)) ?? []
      if (question === undefined) return undefined
      return transcript.includes('<|Commands|>: ') && transcript.lastIndexOf('<eoc>') > transcript.lastIndexOf(question) ? ' Done.<eom>' : ` thinking<eot>\n<|Commands|>: ${cmd}<eoc>`
    },
  })
}

describe('moss-sft suite', () => {
  const suite = loadMossSftSuite(root, tools)

  it('has a category per group and topic, each case with the plugins its meta instruction enables', () => {
    expect(suite.categories).toEqual(['plugins/calculator', 'plugins/web_search', 'none/helpful'])
    expect(suite.cases.map((c) => c.enabled)).toEqual([['Search', 'Calculate'], ['Search', 'Calculate'], ['Search', 'Calculate'], ['Calculate']])
    expect(loadMossSftSuite(root, tools, 1).cases).toHaveLength(3)
  })

  it('is right when MOSS\'s routing is followed and the calculator shows MOSS\'s value', async () => {
    const backend = model({ '6*7': 'Calculate("6*7")', '5*5': 'Calculate("5*5")', bridge: 'Search("bridge builder")', joke: 'None' })
    const results = await runSuite(suite, { backend, grammar: true, run: 'truth' })
    expect(results.map((r) => [r.id, r.correct, r.detail])).toEqual(suite.cases.map((c) => [c.id, true, undefined]))
  })

  it('is wrong on another plugin, on a value MOSS did not get, and on a call where MOSS made none', async () => {
    const backend = model({ '6*7': 'Search("six times seven")', '5*5': 'Calculate("5+5")', bridge: 'Search("bridge builder")', joke: 'Calculate("6*7")' })
    const results = await runSuite(suite, { backend, grammar: false, run: 'wrong' })
    expect(results.map((r) => r.correct)).toEqual([false, false, true, false])
    expect(results[1]?.detail).toMatch(/MOSS's values 25/)
  })
})
