import { describe, expect, it } from 'vitest'
import { ARCHITECTURE_LAYOUTS } from '../../../tools/gguf/architectures.js'
import { bpeVocabFromHf } from '../../../tools/gguf/bpe-vocab.js'
import type { HfTokenizerJson } from '../../../tools/gguf/bpe-vocab.js'
import { buildRandomModel } from '../../../tools/gguf/random-arch-model.js'
import { tokenizerMetadata } from '../../../tools/gguf/tokenizer-metadata.js'
import { TokenType } from '../../../tools/gguf/vocab.js'
import { MossError } from '../../../src/errors.js'

const JSON_FIXTURE: HfTokenizerJson = {
  model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2, 'Ġ': 3 }, merges: [['a', 'b'], 'Ġ a'] },
  added_tokens: [
    { id: 4, content: '<|end|>', special: true },
    { id: 5, content: '<tool>', special: false },
    { id: 6, content: '<|looks|>', special: false },
  ],
}

describe('bpeVocabFromHf', () => {
  const vocab = bpeVocabFromHf(JSON_FIXTURE, { pre: 'qwen2', vocabSize: 9, bos: '<|end|>', eos: '<|end|>', pad: '[PAD8]' })

  it('types tokens as llama.cpp convert does and pads to the model vocabulary size', () => {
    expect(vocab.tokens).toEqual(['a', 'b', 'ab', 'Ġ', '<|end|>', '<tool>', '<|looks|>', '[PAD7]', '[PAD8]'])
    const { normal, control, userDefined, unused } = TokenType
    expect(vocab.types).toEqual([normal, normal, normal, normal, control, userDefined, control, unused, unused])
    expect(vocab.merges).toEqual(['a b', 'Ġ a'])
    expect([vocab.bosId, vocab.eosId, vocab.padId, vocab.eotId, vocab.addBos]).toEqual([4, 4, 8, undefined, false])
  })

  it('renames added tokens and refuses unknown special tokens, too-small sizes and non-BPE models', () => {
    const renamed = bpeVocabFromHf(JSON_FIXTURE, { pre: 'x', bos: '<|begin|>', eos: '<|begin|>', renameAdded: new Map([[4, '<|begin|>']]) })
    expect(renamed.tokens[4]).toBe('<|begin|>')
    expect(renamed.tokens).toHaveLength(7)
    expect(() => bpeVocabFromHf(JSON_FIXTURE, { pre: 'x', bos: '<s>', eos: '<|end|>' })).toThrow(/bos token "<s>"/)
    expect(() => bpeVocabFromHf(JSON_FIXTURE, { pre: 'x', vocabSize: 5, bos: 'a', eos: 'a' })).toThrow(MossError)
    expect(() => bpeVocabFromHf({ ...JSON_FIXTURE, model: { ...JSON_FIXTURE.model, type: 'Unigram' } }, { pre: 'x', bos: 'a', eos: 'a' })).toThrow(/not BPE/)
  })

  it('writes the gpt2 tokenizer keys and the chat template', () => {
    const meta = tokenizerMetadata(vocab, '{{ messages }}')
    expect(meta['tokenizer.ggml.model']).toEqual({ type: 'string', value: 'gpt2' })
    expect(meta['tokenizer.ggml.pre']).toEqual({ type: 'string', value: 'qwen2' })
    expect(meta['tokenizer.ggml.merges']).toEqual({ type: 'array', itemType: 'string', value: ['a b', 'Ġ a'] })
    expect(meta['tokenizer.ggml.padding_token_id']).toEqual({ type: 'uint32', value: 8 })
    expect(meta['tokenizer.chat_template']).toEqual({ type: 'string', value: '{{ messages }}' })
    expect(meta['tokenizer.ggml.scores']).toBeUndefined()
  })
})

describe('architecture layouts', () => {
  const h = { contextLength: 32, embeddingLength: 16, blockCount: 1, feedForwardLength: 24, headCount: 4, headCountKv: 2 }

  it('have the tensors llama.cpp loads for each architecture (row-major shapes)', () => {
    const shapes = (arch: keyof typeof ARCHITECTURE_LAYOUTS): Record<string, readonly number[]> =>
      Object.fromEntries([...ARCHITECTURE_LAYOUTS[arch].tensors(h, 10)].map(([name, t]) => [name, t.shape]))
    expect(shapes('qwen3')['blk.0.attn_k_norm.weight']).toEqual([4])
    expect(shapes('qwen3')['blk.0.attn_k.weight']).toEqual([8, 16])
    expect(shapes('chatglm')['blk.0.ffn_up.weight']).toEqual([48, 16])
    expect(shapes('chatglm')['blk.0.attn_qkv.bias']).toEqual([32])
    expect(shapes('bloom')['token_embd_norm.bias']).toEqual([16])
    expect(shapes('gpt2')['position_embd.weight']).toEqual([32, 16])
    expect(shapes('gpt2')['blk.0.ffn_down.bias']).toEqual([16])
    expect(Object.keys(shapes('llama'))).not.toContain('blk.0.attn_qkv.weight')
    expect(ARCHITECTURE_LAYOUTS.chatglm.metadata(h)['chatglm.rope.dimension_count']).toEqual({ type: 'uint32', value: 2 })
  })

  it('random models are deterministic per seed and tie the output only where asked', () => {
    const vocab = bpeVocabFromHf(JSON_FIXTURE, { pre: 'qwen2', bos: '<|end|>', eos: '<|end|>' })
    const a = buildRandomModel({ architecture: 'qwen3', vocab, hyperparameters: h, seed: 3, tiedOutput: true })
    const b = buildRandomModel({ architecture: 'qwen3', vocab, hyperparameters: h, seed: 3, tiedOutput: true })
    expect(a.tensors.map((t) => t.name)).not.toContain('output.weight')
    expect(a.tensors.map((t) => [...t.data])).toEqual(b.tensors.map((t) => [...t.data]))
    // The embedding doubles as the output: rows of non-normal tokens (here id 4, `<|end|>`) are zero.
    const embd = a.tensors.find((t) => t.name === 'token_embd.weight')
    expect([...(embd?.data.subarray(4 * 16, 5 * 16) ?? [])].every((v) => v === 0)).toBe(true)
    expect(() => buildRandomModel({ architecture: 'bloom', vocab, tiedOutput: true })).toThrow(/tiedOutput/)
  })
})
