/**
 * Deterministic random-weight models of any architecture in {@link ARCHITECTURE_LAYOUTS}, with either vocabulary
 * kind. Gibberish under greedy decoding, but loadable by llama.cpp and reproducible: what tests of the agent on
 * real architectures and real vocabularies need.
 */
import { InvalidInputError } from '../../src/errors.js'
import { createSeededRandom } from '../../src/testing/seeded-random.js'
import { ARCHITECTURE_LAYOUTS } from './architectures.js'
import type { ArchitectureName, ModelHyperparameters } from './architectures.js'
import { writeGgufFile } from './gguf-writer.js'
import type { GgmlTensorTypeName, GgufMetadataValue, GgufTensorInput } from './gguf-types.js'
import { tokenizerMetadata } from './tokenizer-metadata.js'
import type { GgufVocab } from './tokenizer-metadata.js'
import { TokenType } from './vocab.js'

/** Options of {@link writeRandomModel}. */
export interface RandomArchModelOptions {
  readonly architecture: ArchitectureName
  readonly vocab: GgufVocab
  /** Defaults: context 512, width 64, 2 blocks, feed-forward 128, 4 heads. */
  readonly hyperparameters?: Partial<ModelHyperparameters>
  /** PRNG seed; defaults to `1`. */
  readonly seed?: number
  /** Storage type of 2-D weights; defaults to `F16`. Vectors stay F32. */
  readonly weightType?: GgmlTensorTypeName
  /** Share the embedding as output projection (no `output.weight`; llama and qwen3 only). Defaults to `false`. */
  readonly tiedOutput?: boolean
  /** Written as `tokenizer.chat_template`. */
  readonly chatTemplate?: string
  /** `general.name`; defaults to `moss-agent random <architecture> model`. */
  readonly name?: string
}

/** The hyperparameters {@link writeRandomModel} uses for the given overrides. */
export function randomModelHyperparameters(overrides: Partial<ModelHyperparameters> = {}): ModelHyperparameters {
  return { contextLength: 512, embeddingLength: 64, blockCount: 2, feedForwardLength: 128, headCount: 4, ...overrides }
}

/** Builds the tensors and metadata of a random model (without writing it). */
export function buildRandomModel(options: RandomArchModelOptions): { metadata: Record<string, GgufMetadataValue>; tensors: GgufTensorInput[] } {
  const h = randomModelHyperparameters(options.hyperparameters)
  if (h.embeddingLength % h.headCount !== 0) {
    throw new InvalidInputError(`embeddingLength ${h.embeddingLength} is not divisible by headCount ${h.headCount}`)
  }
  const tied = options.tiedOutput ?? false
  if (tied && options.architecture !== 'llama' && options.architecture !== 'qwen3') {
    throw new InvalidInputError(`tiedOutput is only written for llama and qwen3 (llama.cpp requires output.weight for ${options.architecture} here)`)
  }
  const layout = ARCHITECTURE_LAYOUTS[options.architecture]
  const vocab = options.vocab
  const random = createSeededRandom(options.seed ?? 1)
  const gaussian = (): number => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random())
  const weightType = options.weightType ?? 'F16'
  const tensors: GgufTensorInput[] = []
  for (const [name, { shape, role }] of layout.tensors(h, vocab.tokens.length, { tiedOutput: tied })) {
    const count = shape.reduce((a, b) => a * b, 1)
    const data = new Float32Array(count)
    if (role === 'norm') data.fill(1)
    else if (role !== 'bias') {
      const scale = (1 / Math.sqrt(shape[1] ?? 1)) * (role === 'output' ? 4 : 1)
      for (let i = 0; i < count; i++) data[i] = gaussian() * scale
    }
    // The rows that score tokens: zero for every token that is not normal text, so that greedy decoding of a random
    // model rarely ends a generation (or writes a marker) by chance.
    if (role === 'output' || (tied && name === 'token_embd.weight')) {
      const width = shape[1] ?? 0
      vocab.types.forEach((type, id) => {
        if (type !== TokenType.normal) data.fill(0, id * width, (id + 1) * width)
      })
    }
    tensors.push({ name, shape, data, type: shape.length === 1 ? 'F32' : weightType })
  }
  const fileType = { F32: 0, F16: 1, Q8_0: 7 }[weightType]
  const metadata: Record<string, GgufMetadataValue> = {
    'general.architecture': { type: 'string', value: options.architecture },
    'general.name': { type: 'string', value: options.name ?? `moss-agent random ${options.architecture} model` },
    'general.file_type': { type: 'uint32', value: fileType },
    ...layout.metadata(h),
    [`${options.architecture}.vocab_size`]: { type: 'uint32', value: vocab.tokens.length },
    ...tokenizerMetadata(vocab, options.chatTemplate),
  }
  return { metadata, tensors }
}

/** Writes a deterministic random-weight model of the given architecture and vocabulary. */
export async function writeRandomModel(path: string, options: RandomArchModelOptions): Promise<{ bytes: number }> {
  return writeGgufFile(path, buildRandomModel(options))
}
