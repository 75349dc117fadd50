import { createSeededRandom } from '../../src/testing/seeded-random.js'
import { expectedLlamaTensorShapes, writeLlamaGguf } from './llama-model.js'
import type { LlamaHyperparameters, NamedTensor } from './llama-model.js'
import type { GgmlTensorTypeName } from './gguf-types.js'
import { buildSpmVocab, piecesForWords } from './vocab.js'
import type { SpmVocab } from './vocab.js'

/**
 * Small deterministic PRNG (mulberry32): the same seed gives the same model on every machine. The one the scripted
 * test backend uses, so there is a single implementation to keep stable.
 */
export const seededRandom: (seed: number) => () => number = createSeededRandom

/** Words merged into whole pieces in the test vocabulary (MOSS markers and a few common English words). */
const TEST_WORDS = [
  'the', 'and', 'is', 'of', 'to', 'in', 'what', 'Human', 'MOSS', 'Inner', 'Thoughts', 'Commands', 'Results',
  'Calculate', 'Search', 'None', 'hello', 'world', 'answer', 'tool', 'result',
]
const TEST_CHARACTERS = ' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?"\'()[]{}<>|+-*/=_\n'

/** The vocabulary of the generated test model: MOSS control tokens, byte fallback, characters and some merges. */
export function buildTestVocab(): SpmVocab {
  const pieces = piecesForWords(TEST_WORDS, TEST_CHARACTERS.replace(' ', '').replace('\n', ''))
  pieces.push('<|', '|>', '|>:', '▁<|', ':▁')
  return buildSpmVocab({ pieces })
}

/** Options of {@link writeRandomLlamaModel}. */
export interface RandomModelOptions {
  /** PRNG seed; defaults to `1`. */
  readonly seed?: number
  /** Defaults: context 512, width 64, 2 blocks, feed-forward 128, 4 heads. */
  readonly hyperparameters?: Partial<LlamaHyperparameters>
  /** Defaults to {@link buildTestVocab}. */
  readonly vocab?: SpmVocab
  /** Storage type of 2-D weights; defaults to `F16`. */
  readonly weightType?: GgmlTensorTypeName
}

/**
 * Writes a deterministic random-weight llama model. Its output is gibberish but reproducible under greedy sampling,
 * which is all the backend tests need. Output rows of special tokens are zero so that greedy decoding rarely ends
 * on them by chance.
 */
export async function writeRandomLlamaModel(path: string, options: RandomModelOptions = {}): Promise<{ bytes: number }> {
  const vocab = options.vocab ?? buildTestVocab()
  const h: LlamaHyperparameters = {
    contextLength: 512,
    embeddingLength: 64,
    blockCount: 2,
    feedForwardLength: 128,
    headCount: 4,
    ...options.hyperparameters,
  }
  const random = seededRandom(options.seed ?? 1)
  const gaussian = (): number => {
    const u = Math.max(random(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  }
  const tensors = new Map<string, NamedTensor>()
  for (const [name, shape] of expectedLlamaTensorShapes(h, vocab.tokens.length)) {
    const count = shape.reduce((a, b) => a * b, 1)
    const data = new Float32Array(count)
    if (shape.length === 1) data.fill(1)
    else {
      const scale = 1 / Math.sqrt(shape[1] ?? 1)
      for (let i = 0; i < count; i++) data[i] = gaussian() * scale * (name === 'output.weight' ? 4 : 1)
    }
    if (name === 'output.weight') {
      const width = shape[1] ?? 0
      vocab.types.forEach((type, id) => {
        if (type !== 1) data.fill(0, id * width, (id + 1) * width)
      })
    }
    tensors.set(name, { shape, data })
  }
  return writeLlamaGguf(path, {
    name: 'moss-agent random test model',
    hyperparameters: h,
    vocab,
    tensors,
    weightType: options.weightType ?? 'F16',
  })
}
