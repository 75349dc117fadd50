/** The CLI's settings for the bundled tiny model apply only when it runs: llama.cpp, no model given, no test hook. */
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../../src/cli/args.js'
import { BUNDLED_CONTEXT_SIZE, BUNDLED_MAX_TOKENS_PER_GENERATION, usesBundledModel } from '../../../src/cli/bundled-model.js'

describe('bundled model settings', () => {
  it('keep prompt and generation inside the 512-token window the model was trained on', () => {
    expect(BUNDLED_CONTEXT_SIZE).toBe(512)
    expect(BUNDLED_MAX_TOKENS_PER_GENERATION).toBeLessThan(BUNDLED_CONTEXT_SIZE / 2)
  })

  it('apply to `moss chat` without a model, and not to a given model, a remote backend or the scripted hook', () => {
    expect(usesBundledModel(parseCliArgs(['chat'], {}))).toBe(true)
    expect(usesBundledModel(parseCliArgs(['chat', '--model', 'x.gguf'], {}))).toBe(false)
    expect(usesBundledModel(parseCliArgs(['chat'], { MOSS_MODEL: 'hf:owner/repo' }))).toBe(false)
    expect(usesBundledModel(parseCliArgs(['chat', '--backend', 'openai', '--base-url', 'http://127.0.0.1:1'], {}))).toBe(false)
    expect(usesBundledModel({ backend: 'llama-cpp', scriptedOutputs: 'script.json' })).toBe(false)
  })
})
