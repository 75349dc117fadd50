/**
 * The inverse of export.ts: turns a tiny-moss GGUF back into what training needs, so a new machine (no checkpoints,
 * git-ignored) can continue the shipped model.
 * - `<vocab>`: the tokenizer vocabulary (tokens, scores, types) exactly as build-data learned it; the GGUF stores
 *   all three, so `build-data --vocab` on it tokenizes identically.
 * - `<weights>.bin/.json`: float32 weights in train.py's dump layout (Q8_0 dequantised, F32 copied), which
 *   `train.py --init <weights>` loads. Q8_0 loses nothing further: dequantised values re-quantise to the same blocks.
 *
 *   node dist/tools/tiny-moss/import-gguf.js [--model models/tiny-moss.gguf] [--weights tools/tiny-moss/checkpoints/shipped]
 *                                            [--vocab tools/tiny-moss/data/vocab.json]
 */
import { mkdirSync, openSync, readSync, closeSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { readGgufFileInfo } from 'node-llama-cpp'
import { InvalidInputError } from '../../src/errors.js'
import { fromFloat16Bits, Q8_0_BLOCK } from '../gguf/encode-tensor.js'
import type { DumpedWeights } from './export.js'
import type { TokenizerVocab } from './tokenizer/spm.js'

const GGML_F32 = 0
const GGML_Q8_0 = 8
const Q8_0_BYTES = 2 + Q8_0_BLOCK

/** Dequantises Q8_0 blocks (f16 scale, 32 int8) or copies F32 data into float32. */
export function decodeTensor(type: number, bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Float32Array(count)
  if (type === GGML_F32) {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true)
    return out
  }
  if (type !== GGML_Q8_0) throw new InvalidInputError(`Unsupported tensor type ${type} (Q8_0 and F32 only)`)
  for (let b = 0; b < count / Q8_0_BLOCK; b++) {
    const scale = fromFloat16Bits(view.getUint16(b * Q8_0_BYTES, true))
    for (let j = 0; j < Q8_0_BLOCK; j++) out[b * Q8_0_BLOCK + j] = scale * view.getInt8(b * Q8_0_BYTES + 2 + j)
  }
  return out
}

/** Byte length of a tensor's data. */
function byteLength(type: number, count: number): number {
  return type === GGML_F32 ? count * 4 : (count / Q8_0_BLOCK) * Q8_0_BYTES
}

/** Reads a tiny-moss GGUF into the vocabulary and a train.py weight dump. */
export async function importGguf(model: string, weightsPrefix: string, vocabPath: string): Promise<DumpedWeights> {
  const info = await readGgufFileInfo(model)
  const md = info.metadata as unknown as {
    tokenizer: { ggml: { tokens: string[]; scores: number[]; token_type: number[] } }
    llama: { embedding_length: number; block_count: number; feed_forward_length: number; attention: { head_count: number; layer_norm_rms_epsilon: number }; rope: { freq_base: number } }
  }
  const g = md.tokenizer.ggml
  const vocab: TokenizerVocab = { tokens: g.tokens, scores: g.scores, types: g.token_type }
  mkdirSync(dirname(vocabPath), { recursive: true })
  writeFileSync(vocabPath, JSON.stringify(vocab))
  const l = md.llama
  // train.py's config; the context is the training window (the GGUF declares more, see export.ts).
  const config = {
    vocab: g.tokens.length,
    dim: l.embedding_length,
    layers: l.block_count,
    heads: l.attention.head_count,
    ffn: l.feed_forward_length,
    context: 512,
    // Stored as float32 in the GGUF; train.py used the double 1e-5.
    eps: Number(l.attention.layer_norm_rms_epsilon.toPrecision(6)),
    rope_base: l.rope.freq_base,
  }
  const fd = openSync(model, 'r')
  const chunks: Buffer[] = []
  const tensors: { name: string; shape: number[]; offset: number }[] = []
  let offset = 0
  try {
    for (const t of info.tensorInfo ?? []) {
      const count = t.dimensions.reduce<number>((a, b) => a * Number(b), 1)
      const bytes = Buffer.alloc(byteLength(t.ggmlType, count))
      readSync(fd, bytes, 0, bytes.length, Number(t.fileOffset))
      const data = decodeTensor(t.ggmlType, bytes, count)
      chunks.push(Buffer.from(data.buffer))
      // GGUF lists dimensions innermost first; the dump uses torch shapes ([out, in]).
      tensors.push({ name: t.name, shape: t.dimensions.map(Number).reverse(), offset })
      offset += data.byteLength
    }
  } finally {
    closeSync(fd)
  }
  const spec: DumpedWeights = { config, tensors }
  mkdirSync(dirname(weightsPrefix), { recursive: true })
  writeFileSync(`${weightsPrefix}.bin`, Buffer.concat(chunks))
  writeFileSync(`${weightsPrefix}.json`, JSON.stringify(spec, null, 1))
  return spec
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/tiny-moss.gguf' },
      weights: { type: 'string', default: 'tools/tiny-moss/checkpoints/shipped' },
      vocab: { type: 'string', default: 'tools/tiny-moss/data/vocab.json' },
    },
  })
  const spec = await importGguf(values.model, values.weights, values.vocab)
  console.log(`wrote ${values.vocab} (${spec.config.vocab} tokens) and ${values.weights}.bin/.json (${spec.tensors.length} tensors)`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
