/**
 * Template conformance against the official chat templates and their Python-rendered examples in
 * ../shared/chat-templates (not part of a fresh clone: skipped with that reason when absent).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectFormat } from '../../../src/formats/detect.js'
import { FORMAT_FACTORIES, getFormat } from '../../../src/formats/get-format.js'
import { mistralCallId } from '../../../src/formats/mistral/format.js'
import { runTemplateConformance } from '../../../src/formats/templates/check.js'
import { MODEL_WRITERS, playConversation } from '../../../src/formats/templates/play.js'
import { definePlugin } from '../../../src/plugins/define-plugin.js'

const DIR = join(import.meta.dirname, '../../../../shared/chat-templates')
const present = existsSync(DIR)

// The examples' conversation (SOURCES.md): one call whose parameter has no description, answered in one round.
const calculate = definePlugin({
  name: 'calculate',
  description: 'Evaluate a math expression',
  parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  run: () => '',
})
const example = {
  name: 'example',
  tools: true,
  turns: [{ human: 'What is 23*47?', rounds: [{ calls: [{ name: 'calculate', arguments: { expression: '23*47' } }], results: ['1081'] }], answer: '23*47 = 1081.' }],
}

describe.skipIf(!present)('official chat templates (../shared/chat-templates; skipped when absent)', () => {
  it('every conversation of the set renders byte-identically through each format and its Jinja template', async () => {
    const { results, missing } = await runTemplateConformance(DIR)
    expect(missing).toEqual([])
    expect(results.filter((r) => !r.ok)).toEqual([])
    expect(results.length).toBeGreaterThanOrEqual(42)
  })

  for (const [file, format, options] of [
    ['Qwen-Qwen2.5-7B-Instruct', 'qwen', { variant: 'qwen2.5' }],
    ['Qwen-Qwen3-8B', 'qwen', { variant: 'qwen3' }],
    ['NousResearch-Hermes-3-Llama-3.1-8B', 'hermes', {}],
    ['meta-llama-Llama-3.1-8B-Instruct', 'llama3', {}],
    ['meta-llama-Llama-3.2-3B-Instruct', 'llama3', {}],
    ['THUDM-glm-4-9b-chat', 'glm4', {}],
  ] as const) {
    it(`${file}: the Python-rendered example is reproduced byte for byte`, () => {
      // GLM's transcript ends with the `<|user|>` the model stopped at, which the template writes with the next message.
      const expected = readFileSync(join(DIR, `${file}.example.txt`), 'utf8') + (format === 'glm4' ? '<|user|>' : '')
      const played = playConversation(getFormat(format, { ...options, system: 'You are a helpful assistant.' }), MODEL_WRITERS[format]!, example, [calculate])
      expect(played).toBe(expected)
    })
  }

  it('mistralai-Mistral-7B-Instruct-v0.3: the Python-rendered example is reproduced byte for byte, but for its call id', () => {
    const expected = readFileSync(join(DIR, 'mistralai-Mistral-7B-Instruct-v0.3.example.txt'), 'utf8')
    // The template drops the system message once the conversation ends with an answer (the example shows none), so
    // the format without one writes the same text; the example's call id "abc123def" is its own, ours is derived.
    const played = playConversation(getFormat('mistral'), MODEL_WRITERS.mistral!, example, [calculate])
    expect(played.replaceAll(mistralCallId('call_1_1'), 'abc123def')).toBe(expected)
  })

  it('auto-detection picks the right format from each official template', () => {
    const pick = (file: string) => {
      const detected = detectFormat({ chatTemplate: readFileSync(join(DIR, file), 'utf8') }, Object.keys(FORMAT_FACTORIES))
      return [detected.format, detected.options.variant, detected.tools]
    }
    expect(pick('Qwen-Qwen2.5-7B-Instruct.jinja')).toEqual(['qwen', 'qwen2.5', true])
    expect(pick('Qwen-Qwen3-8B.jinja')).toEqual(['qwen', 'qwen3', true])
    expect(pick('NousResearch-Hermes-3-Llama-3.1-8B.jinja')).toEqual(['hermes', undefined, true])
    expect(pick('meta-llama-Llama-3.1-8B-Instruct.jinja')).toEqual(['llama3', undefined, true])
    expect(pick('meta-llama-Llama-3.2-3B-Instruct.jinja')).toEqual(['llama3', undefined, true])
    expect(pick('mistralai-Mistral-7B-Instruct-v0.3.jinja')).toEqual(['mistral', undefined, true])
    expect(pick('THUDM-chatglm3-6b.jinja')).toEqual(['chatglm3', undefined, true])
    expect(pick('THUDM-glm-4-9b-chat.jinja')).toEqual(['glm4', undefined, true])
  })
})
