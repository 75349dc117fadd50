/**
 * A span released by its `releaseWhen` pattern (an "answer or call" grammar whose first characters chose the answer):
 * the backend drops the grammar right after the text that matched, and the rest of the generation is free — on the
 * random test model, with the same span held to the end as the contrast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { LlamaCppBackend } from '../../../src/backends/llama-cpp/index.js'
import type { ConstrainedSpan, GenerateOutcome, PromptPart } from '../../../src/backends/types.js'
import { getTestModelPath } from '../../helpers/test-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const PROMPT: PromptPart[] = [
  { text: '<|Human|>: ', trusted: true },
  { text: 'what is 2+3?', trusted: false },
  { text: '<eoh>\n<|MOSS|>:', trusted: true },
]
/** Digits only, from the prompt's tail on. */
const HELD: ConstrainedSpan = { trigger: '<|MOSS|>:', gbnf: 'root ::= " " [0-9]+\n' }
/** The same, released once a space and one digit are written. */
const RELEASED: ConstrainedSpan = { ...HELD, releaseWhen: /^ [0-9]/ }

let backend: LlamaCppBackend
beforeAll(async () => {
  backend = await createLlamaCppBackend({ model: await getTestModelPath(), threads: 1, gpu: false, contextSize: 256, maxSessions: 1 })
})
afterAll(async () => {
  await backend?.dispose()
})

async function generate(constrain: ConstrainedSpan, seed: number): Promise<{ text: string; outcome: GenerateOutcome }> {
  const session = await backend.open()
  try {
    await session.append(PROMPT)
    const generation = session.generate({ stop: ['<eom>'], maxTokens: 24, constrain, sampling: { temperature: 1, seed, repeatPenalty: 1 } })
    let text = ''
    for (;;) {
      const next = await generation.next()
      if (next.done === true) return { text, outcome: next.value }
      text += next.value
    }
  } finally {
    await session.dispose()
  }
}

describe('a released span', () => {
  it('holds until its pattern matches, then lets the model write anything', async () => {
    const held: string[] = []
    const released: string[] = []
    for (const seed of [1, 2, 3]) {
      held.push((await generate(HELD, seed)).text)
      released.push((await generate(RELEASED, seed)).text)
    }
    for (const text of held) expect(text).toMatch(/^ [0-9]+$/)
    for (const text of released) expect(text).toMatch(/^ [0-9]/)
    // Random weights, free after the first digit: some text other than digits follows.
    expect(released.filter((text) => /^ [0-9]+$/.test(text))).toEqual([])
  })
})
