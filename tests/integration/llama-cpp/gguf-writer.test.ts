import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getLlama, readGgufFileInfo } from 'node-llama-cpp'
import { afterAll, describe, expect, it } from 'vitest'
import { sliceRawTensors } from '../../../tools/gguf/cli.js'
import type { CliModelSpec } from '../../../tools/gguf/cli.js'
import { expectedLlamaTensorShapes, writeLlamaGguf } from '../../../tools/gguf/llama-model.js'
import { buildTestVocab, seededRandom } from '../../../tools/gguf/random-model.js'

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'

const SHARED_MODEL = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'models', 'stories260K.gguf')
const dirs: string[] = []
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

describe('GGUF writer', () => {
  // A fresh clone has no ../shared: this reference check only runs on the development machines.
  it.skipIf(!existsSync(SHARED_MODEL))('reads the reference stories260K.gguf with the same reader used on our files', async () => {
    const info = await readGgufFileInfo(SHARED_MODEL)
    expect(info.metadata.general.architecture).toBe('llama')
    const embd = info.tensorInfo?.find((t) => t.name === 'token_embd.weight')
    expect(embd?.dimensions.length).toBe(2)
  })

  it('writes a Q8_0 llama model from a spec + raw float32 file that node-llama-cpp reads back and runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-gguf-'))
    dirs.push(dir)
    const vocab = buildTestVocab()
    const hyperparameters = { contextLength: 128, embeddingLength: 64, blockCount: 1, feedForwardLength: 96, headCount: 2, headCountKv: 1 }
    const shapes = [...expectedLlamaTensorShapes(hyperparameters, vocab.tokens.length)]
    const spec: CliModelSpec = { name: 'writer check', hyperparameters, vocab, weightType: 'Q8_0', tensors: shapes.map(([name, shape]) => ({ name, shape })) }
    const total = shapes.reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0)
    const raw = new Float32Array(total)
    const random = seededRandom(7)
    for (let i = 0; i < total; i++) raw[i] = (random() - 0.5) * 0.2
    const tensors = sliceRawTensors(spec, new Uint8Array(raw.buffer))
    const path = join(dir, 'check.gguf')
    await writeLlamaGguf(path, { ...spec, tensors })

    const info = await readGgufFileInfo(path)
    expect(info.metadata.general.name).toBe('writer check')
    expect(info.metadata.tokenizer.ggml.tokens.length).toBe(vocab.tokens.length)
    const q = info.tensorInfo?.find((t) => t.name === 'blk.0.attn_k.weight')
    // Row-major [out, in] = [32, 64] is stored innermost first.
    expect(q?.dimensions.map(Number)).toEqual([64, 32])

    const llama = await getLlama({ build: 'never', gpu: false })
    const model = await llama.loadModel({ modelPath: path })
    try {
      const tokens = model.tokenize('<eoc> hello 你好', true)
      expect(tokens[0]).toBe(vocab.tokens.indexOf('<eoc>'))
      expect(model.detokenize(tokens, true)).toBe('<eoc> hello 你好')
      const context = await model.createContext({ contextSize: 128, threads: 1 })
      const sequence = context.getSequence()
      let generated = 0
      for await (const _token of sequence.evaluate(tokens, { temperature: 0 })) if (++generated >= 3) break
      expect(generated).toBe(3)
      await context.dispose()
    } finally {
      await model.dispose()
    }
  })

  it('rejects a raw tensor file of the wrong length', () => {
    const spec = { hyperparameters: {}, vocab: buildTestVocab(), tensors: [{ name: 'output_norm.weight', shape: [4] }] } as unknown as CliModelSpec
    expect(() => sliceRawTensors(spec, new Uint8Array(12))).toThrow(/ends inside/)
    expect(() => sliceRawTensors(spec, new Uint8Array(20))).toThrow(/more than/)
  })
})
