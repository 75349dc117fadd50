/**
 * Tensor layouts and hyperparameter keys of the llama.cpp architectures the project generates random-weight models
 * for, as data. Names and shapes follow llama.cpp's `llama-arch.cpp` (tensor names) and `llama-model.cpp`
 * (`load_tensors`: which tensors each architecture requires, with ggml's innermost-first shapes reversed here to
 * row-major `[out, in]`).
 */
import type { GgufMetadataValue } from './gguf-types.js'

/** Architectures with a layout here. */
export const ARCHITECTURES = ['llama', 'qwen3', 'bloom', 'gpt2', 'chatglm'] as const
export type ArchitectureName = (typeof ARCHITECTURES)[number]

/** Hyperparameters shared by every architecture here. */
export interface ModelHyperparameters {
  /** Training context length (`<arch>.context_length`); gpt2 sizes its position embeddings by it. */
  readonly contextLength: number
  readonly embeddingLength: number
  readonly blockCount: number
  /** Feed-forward hidden width. */
  readonly feedForwardLength: number
  readonly headCount: number
  /** Defaults to `headCount`. */
  readonly headCountKv?: number
  /** RMSNorm or LayerNorm epsilon; defaults to `1e-5`. */
  readonly normEpsilon?: number
  /** RoPE base frequency of the RoPE architectures; defaults to `10000`. */
  readonly ropeFreqBase?: number
}

/** How a tensor is initialised by the random generator. */
export type TensorRole = 'matrix' | 'norm' | 'bias' | 'embedding' | 'output'

/** One tensor of a layout. */
export interface TensorLayout {
  readonly shape: readonly number[]
  readonly role: TensorRole
}

/** A llama.cpp architecture: its tensors and its hyperparameter keys. */
export interface ArchitectureLayout {
  /** Tensors in file order. `output.weight` is left out when `tiedOutput` is set and the architecture allows it. */
  tensors(h: ModelHyperparameters, vocabSize: number, options?: { readonly tiedOutput?: boolean }): Map<string, TensorLayout>
  /** `<arch>.*` metadata keys. */
  metadata(h: ModelHyperparameters): Record<string, GgufMetadataValue>
}

const u32 = (value: number): GgufMetadataValue => ({ type: 'uint32', value })
const f32 = (value: number): GgufMetadataValue => ({ type: 'float32', value })

function dims(h: ModelHyperparameters): { d: number; headDim: number; kv: number } {
  const headDim = h.embeddingLength / h.headCount
  return { d: h.embeddingLength, headDim, kv: (h.headCountKv ?? h.headCount) * headDim }
}

function common(arch: ArchitectureName, h: ModelHyperparameters): Record<string, GgufMetadataValue> {
  return {
    [`${arch}.context_length`]: u32(h.contextLength),
    [`${arch}.embedding_length`]: u32(h.embeddingLength),
    [`${arch}.block_count`]: u32(h.blockCount),
    [`${arch}.feed_forward_length`]: u32(h.feedForwardLength),
    [`${arch}.attention.head_count`]: u32(h.headCount),
    [`${arch}.attention.head_count_kv`]: u32(h.headCountKv ?? h.headCount),
  }
}

const matrix = (...shape: number[]): TensorLayout => ({ shape, role: 'matrix' })
const norm = (n: number): TensorLayout => ({ shape: [n], role: 'norm' })
const bias = (n: number): TensorLayout => ({ shape: [n], role: 'bias' })

/** Embedding, final norm and output projection (RMSNorm architectures). */
function ends(h: ModelHyperparameters, vocabSize: number, tied: boolean, withNormBias: boolean): Map<string, TensorLayout> {
  const t = new Map<string, TensorLayout>([['token_embd.weight', { shape: [vocabSize, h.embeddingLength], role: 'embedding' }]])
  t.set('output_norm.weight', norm(h.embeddingLength))
  if (withNormBias) t.set('output_norm.bias', bias(h.embeddingLength))
  if (!tied) t.set('output.weight', { shape: [vocabSize, h.embeddingLength], role: 'output' })
  return t
}

/** llama and qwen3: separate q/k/v, SwiGLU; qwen3 adds per-head RMSNorms on q and k. */
function llamaLike(withQkNorm: boolean): ArchitectureLayout['tensors'] {
  return (h, vocabSize, options) => {
    const { d, headDim, kv } = dims(h)
    const t = ends(h, vocabSize, options?.tiedOutput ?? false, false)
    for (let i = 0; i < h.blockCount; i++) {
      const b = `blk.${i}.`
      t.set(`${b}attn_norm.weight`, norm(d))
      t.set(`${b}attn_q.weight`, matrix(d, d))
      t.set(`${b}attn_k.weight`, matrix(kv, d))
      t.set(`${b}attn_v.weight`, matrix(kv, d))
      if (withQkNorm) {
        t.set(`${b}attn_q_norm.weight`, norm(headDim))
        t.set(`${b}attn_k_norm.weight`, norm(headDim))
      }
      t.set(`${b}attn_output.weight`, matrix(d, d))
      t.set(`${b}ffn_norm.weight`, norm(d))
      t.set(`${b}ffn_gate.weight`, matrix(h.feedForwardLength, d))
      t.set(`${b}ffn_up.weight`, matrix(h.feedForwardLength, d))
      t.set(`${b}ffn_down.weight`, matrix(d, h.feedForwardLength))
    }
    return t
  }
}

/** bloom and gpt2: LayerNorm with biases, fused qkv with bias, GELU feed-forward with biases. */
function layerNormBlocks(t: Map<string, TensorLayout>, h: ModelHyperparameters): Map<string, TensorLayout> {
  const { d, kv } = dims(h)
  for (let i = 0; i < h.blockCount; i++) {
    const b = `blk.${i}.`
    t.set(`${b}attn_norm.weight`, norm(d))
    t.set(`${b}attn_norm.bias`, bias(d))
    t.set(`${b}attn_qkv.weight`, matrix(d + 2 * kv, d))
    t.set(`${b}attn_qkv.bias`, bias(d + 2 * kv))
    t.set(`${b}attn_output.weight`, matrix(d, d))
    t.set(`${b}attn_output.bias`, bias(d))
    t.set(`${b}ffn_norm.weight`, norm(d))
    t.set(`${b}ffn_norm.bias`, bias(d))
    t.set(`${b}ffn_up.weight`, matrix(h.feedForwardLength, d))
    t.set(`${b}ffn_up.bias`, bias(h.feedForwardLength))
    t.set(`${b}ffn_down.weight`, matrix(d, h.feedForwardLength))
    t.set(`${b}ffn_down.bias`, bias(d))
  }
  return t
}

const rmsKeys = (arch: ArchitectureName, h: ModelHyperparameters): Record<string, GgufMetadataValue> => ({
  [`${arch}.attention.layer_norm_rms_epsilon`]: f32(h.normEpsilon ?? 1e-5),
  [`${arch}.rope.freq_base`]: f32(h.ropeFreqBase ?? 10000),
})

/** The layouts, by `general.architecture`. */
export const ARCHITECTURE_LAYOUTS: Readonly<Record<ArchitectureName, ArchitectureLayout>> = {
  llama: {
    tensors: llamaLike(false),
    metadata: (h) => ({ ...common('llama', h), ...rmsKeys('llama', h), 'llama.rope.dimension_count': u32(dims(h).headDim) }),
  },
  qwen3: {
    tensors: llamaLike(true),
    metadata: (h) => ({ ...common('qwen3', h), ...rmsKeys('qwen3', h) }),
  },
  bloom: {
    // BLOOM normalises the embeddings before the first block and has no position embeddings (ALiBi).
    tensors: (h, vocabSize) => {
      const t = new Map<string, TensorLayout>([
        ['token_embd.weight', { shape: [vocabSize, h.embeddingLength], role: 'embedding' }],
        ['token_embd_norm.weight', norm(h.embeddingLength)],
        ['token_embd_norm.bias', bias(h.embeddingLength)],
      ])
      for (const [name, layout] of ends(h, vocabSize, false, true)) if (name !== 'token_embd.weight') t.set(name, layout)
      return layerNormBlocks(t, h)
    },
    metadata: (h) => ({ ...common('bloom', h), 'bloom.attention.layer_norm_epsilon': f32(h.normEpsilon ?? 1e-5) }),
  },
  gpt2: {
    // Learned absolute positions, one row per position of the training context.
    tensors: (h, vocabSize) => {
      const t = new Map<string, TensorLayout>([
        ['token_embd.weight', { shape: [vocabSize, h.embeddingLength], role: 'embedding' }],
        ['position_embd.weight', { shape: [h.contextLength, h.embeddingLength], role: 'embedding' }],
      ])
      for (const [name, layout] of ends(h, vocabSize, false, true)) if (name !== 'token_embd.weight') t.set(name, layout)
      return layerNormBlocks(t, h)
    },
    metadata: (h) => ({ ...common('gpt2', h), 'gpt2.attention.layer_norm_epsilon': f32(h.normEpsilon ?? 1e-5) }),
  },
  chatglm: {
    // GLM-4 (glm-4-9b-chat): fused qkv with bias, gate and up fused in one ffn_up of twice the width, RoPE on half
    // of each head (rope.dimension_count = head size / 2, as the real GGUFs write it).
    tensors: (h, vocabSize) => {
      const { d, kv } = dims(h)
      const t = ends(h, vocabSize, false, false)
      for (let i = 0; i < h.blockCount; i++) {
        const b = `blk.${i}.`
        t.set(`${b}attn_norm.weight`, norm(d))
        t.set(`${b}attn_qkv.weight`, matrix(d + 2 * kv, d))
        t.set(`${b}attn_qkv.bias`, bias(d + 2 * kv))
        t.set(`${b}attn_output.weight`, matrix(d, d))
        t.set(`${b}ffn_norm.weight`, norm(d))
        t.set(`${b}ffn_up.weight`, matrix(2 * h.feedForwardLength, d))
        t.set(`${b}ffn_down.weight`, matrix(d, h.feedForwardLength))
      }
      return t
    },
    metadata: (h) => ({ ...common('chatglm', h), ...rmsKeys('chatglm', h), 'chatglm.rope.dimension_count': u32(dims(h).headDim / 2) }),
  },
}
