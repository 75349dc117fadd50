import { InvalidInputError } from '../../src/errors.js'
import { writeGgufFile } from './gguf-writer.js'
import type { GgufFileSpec } from './gguf-writer.js'
import type { GgmlTensorTypeName, GgufMetadataValue, GgufTensorInput } from './gguf-types.js'
import { tokenizerMetadata } from './tokenizer-metadata.js'
import type { SpmVocab } from './vocab.js'

/** Hyperparameters of a llama-architecture model. */
export interface LlamaHyperparameters {
  /** Training context length (`llama.context_length`). */
  readonly contextLength: number
  /** Model width (`llama.embedding_length`). */
  readonly embeddingLength: number
  /** Number of transformer blocks. */
  readonly blockCount: number
  /** SwiGLU hidden width. */
  readonly feedForwardLength: number
  /** Attention heads. */
  readonly headCount: number
  /** Key/value heads; defaults to `headCount` (no grouped-query attention). */
  readonly headCountKv?: number
  /** RMSNorm epsilon; defaults to `1e-5`. */
  readonly rmsEpsilon?: number
  /** RoPE base frequency; defaults to `10000`. llama.cpp rotates adjacent pairs (x0,x1),(x2,x3)… */
  readonly ropeFreqBase?: number
}

/** A tensor given by its llama.cpp name; the shape is row-major (PyTorch's `weight.shape`). */
export interface NamedTensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/** Everything needed to write a llama-architecture GGUF. */
export interface LlamaModelSpec {
  /** `general.name`; defaults to `"moss-agent model"`. */
  readonly name?: string
  readonly hyperparameters: LlamaHyperparameters
  readonly vocab: SpmVocab
  /**
   * Tensors by llama.cpp name: `token_embd.weight`, `output_norm.weight`, `output.weight` (optional: tied to the
   * embedding when absent) and per block `blk.N.{attn_norm,attn_q,attn_k,attn_v,attn_output,ffn_norm,ffn_gate,ffn_up,ffn_down}.weight`.
   */
  readonly tensors: ReadonlyMap<string, NamedTensor> | Readonly<Record<string, NamedTensor>>
  /** Storage type of 2-D weights; defaults to `F32`. Norm vectors are always F32 (llama.cpp expects that). */
  readonly weightType?: GgmlTensorTypeName
  /** Extra metadata, written last (overrides nothing; duplicate keys are rejected). */
  readonly extraMetadata?: Readonly<Record<string, GgufMetadataValue>>
}

const u32 = (value: number): GgufMetadataValue => ({ type: 'uint32', value })
const f32 = (value: number): GgufMetadataValue => ({ type: 'float32', value })

/** Expected row-major shapes of every llama tensor, for early, readable errors instead of a llama.cpp load failure. */
export function expectedLlamaTensorShapes(h: LlamaHyperparameters, vocabSize: number): Map<string, number[]> {
  const headDim = h.embeddingLength / h.headCount
  const kv = (h.headCountKv ?? h.headCount) * headDim
  const shapes = new Map<string, number[]>([
    ['token_embd.weight', [vocabSize, h.embeddingLength]],
    ['output_norm.weight', [h.embeddingLength]],
    ['output.weight', [vocabSize, h.embeddingLength]],
  ])
  for (let i = 0; i < h.blockCount; i++) {
    shapes.set(`blk.${i}.attn_norm.weight`, [h.embeddingLength])
    shapes.set(`blk.${i}.attn_q.weight`, [h.embeddingLength, h.embeddingLength])
    shapes.set(`blk.${i}.attn_k.weight`, [kv, h.embeddingLength])
    shapes.set(`blk.${i}.attn_v.weight`, [kv, h.embeddingLength])
    shapes.set(`blk.${i}.attn_output.weight`, [h.embeddingLength, h.embeddingLength])
    shapes.set(`blk.${i}.ffn_norm.weight`, [h.embeddingLength])
    shapes.set(`blk.${i}.ffn_gate.weight`, [h.feedForwardLength, h.embeddingLength])
    shapes.set(`blk.${i}.ffn_up.weight`, [h.feedForwardLength, h.embeddingLength])
    shapes.set(`blk.${i}.ffn_down.weight`, [h.embeddingLength, h.feedForwardLength])
  }
  return shapes
}

/** Builds the GGUF description (metadata + tensors) of a llama-architecture model, validating every shape. */
export function buildLlamaGguf(spec: LlamaModelSpec): GgufFileSpec {
  const h = spec.hyperparameters
  if (h.embeddingLength % h.headCount !== 0) {
    throw new InvalidInputError(`embeddingLength ${h.embeddingLength} is not divisible by headCount ${h.headCount}`)
  }
  const vocabSize = spec.vocab.tokens.length
  const given = spec.tensors instanceof Map ? spec.tensors : new Map(Object.entries(spec.tensors))
  const expected = expectedLlamaTensorShapes(h, vocabSize)
  for (const name of given.keys()) {
    if (!expected.has(name)) throw new InvalidInputError(`Unknown llama tensor name "${name}"`)
  }
  const weightType = spec.weightType ?? 'F32'
  const tensors: GgufTensorInput[] = []
  for (const [name, shape] of expected) {
    const tensor = given.get(name)
    if (tensor === undefined) {
      if (name === 'output.weight') continue // llama.cpp ties the output to token_embd when absent
      throw new InvalidInputError(`Missing tensor "${name}" (shape ${JSON.stringify(shape)})`)
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d: number, i: number) => d !== shape[i])) {
      throw new InvalidInputError(`Tensor "${name}" has shape ${JSON.stringify(tensor.shape)}, expected ${JSON.stringify(shape)}`)
    }
    tensors.push({ name, shape: tensor.shape, data: tensor.data, type: shape.length === 1 ? 'F32' : weightType })
  }
  const fileType = { F32: 0, F16: 1, Q8_0: 7 }[weightType]
  const metadata: Record<string, GgufMetadataValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: spec.name ?? 'moss-agent model' },
    'general.file_type': u32(fileType),
    'llama.context_length': u32(h.contextLength),
    'llama.embedding_length': u32(h.embeddingLength),
    'llama.block_count': u32(h.blockCount),
    'llama.feed_forward_length': u32(h.feedForwardLength),
    'llama.attention.head_count': u32(h.headCount),
    'llama.attention.head_count_kv': u32(h.headCountKv ?? h.headCount),
    'llama.attention.layer_norm_rms_epsilon': f32(h.rmsEpsilon ?? 1e-5),
    'llama.rope.freq_base': f32(h.ropeFreqBase ?? 10000),
    'llama.rope.dimension_count': u32(h.embeddingLength / h.headCount),
    'llama.vocab_size': u32(vocabSize),
    ...tokenizerMetadata(spec.vocab),
  }
  for (const [key, value] of Object.entries(spec.extraMetadata ?? {})) {
    if (key in metadata) throw new InvalidInputError(`extraMetadata repeats the key "${key}"`)
    metadata[key] = value
  }
  return { metadata, tensors }
}

/** Builds and writes a llama-architecture GGUF. */
export async function writeLlamaGguf(path: string, spec: LlamaModelSpec): Promise<{ bytes: number }> {
  return writeGgufFile(path, buildLlamaGguf(spec))
}
