/**
 * Writes `models/tiny-moss.gguf` from the weights train.py dumps (`<prefix>.bin` float32 + `<prefix>.json` spec in
 * llama.cpp tensor names) and the vocabulary learned by build-data, with the project's GGUF writer.
 *
 *   node dist/tools/tiny-moss/export.js [--weights tools/tiny-moss/checkpoints/weights] [--vocab tools/tiny-moss/data/vocab.json]
 *                                       [--out models/tiny-moss.gguf] [--type Q8_0] [--context 1024]
 */
import { readFileSync, statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { InvalidInputError } from '../../src/errors.js'
import type { GgmlTensorTypeName } from '../gguf/gguf-types.js'
import { writeLlamaGguf, type NamedTensor } from '../gguf/llama-model.js'
import type { SpmVocab } from '../gguf/vocab.js'
import type { TokenizerVocab } from './tokenizer/spm.js'
import { INPUT_MAP_KEY } from '../../src/backends/llama-cpp/input-map.js'
import { inputMapFor } from './tokenizer/input-map.js'

/** The spec train.py writes next to the raw weights. */
export interface DumpedWeights {
  readonly config: { vocab: number; dim: number; layers: number; heads: number; ffn: number; context: number; eps: number; rope_base: number }
  readonly tensors: readonly { name: string; shape: number[]; offset: number }[]
}

/** The GGUF vocabulary for a learned tokenizer vocabulary: `<eoc>` and `<eom>` end generations, no BOS, no space prefix. */
export function ggufVocab(v: TokenizerVocab): SpmVocab {
  const id = (t: string): number => {
    const i = v.tokens.indexOf(t)
    if (i < 0) throw new InvalidInputError(`The vocabulary lacks ${t}`)
    return i
  }
  return {
    tokens: v.tokens,
    scores: v.scores,
    types: v.types,
    unkId: id('<unk>'),
    bosId: id('<s>'),
    eosId: id('</s>'),
    eotId: id('<eoc>'),
    eomId: id('<eom>'),
    addBos: false,
    addSpacePrefix: false,
  }
}

/** Reads train.py's dump into named tensors. */
export function readDump(prefix: string): { spec: DumpedWeights; tensors: Map<string, NamedTensor> } {
  const spec = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as DumpedWeights
  const raw = readFileSync(`${prefix}.bin`)
  const tensors = new Map<string, NamedTensor>()
  for (const t of spec.tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1)
    const data = new Float32Array(count)
    for (let i = 0; i < count; i++) data[i] = raw.readFloatLE(t.offset + i * 4)
    tensors.set(t.name, { shape: t.shape, data })
  }
  return { spec, tensors }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      weights: { type: 'string', default: 'tools/tiny-moss/checkpoints/weights' },
      vocab: { type: 'string', default: 'tools/tiny-moss/data/vocab.json' },
      out: { type: 'string', default: 'models/tiny-moss.gguf' },
      type: { type: 'string', default: 'Q8_0' },
      context: { type: 'string', default: '1024' },
    },
  })
  const { spec, tensors } = readDump(values.weights)
  const vocab = ggufVocab(JSON.parse(readFileSync(values.vocab, 'utf8')) as TokenizerVocab)
  const c = spec.config
  await writeLlamaGguf(values.out, {
    name: 'tiny-moss',
    hyperparameters: {
      // Trained on 512-token windows; declared 1024 so the agent's default 512-token generation budget leaves
      // room for a 512-token prompt (RoPE is relative: the model sees distances up to 511 in training).
      contextLength: Number(values.context),
      embeddingLength: c.dim,
      blockCount: c.layers,
      feedForwardLength: c.ffn,
      headCount: c.heads,
      rmsEpsilon: c.eps,
      ropeFreqBase: c.rope_base,
    },
    vocab,
    // Full-width digits, `×`, `²` and the like, which the vocabulary has no piece for, read as ASCII at run time.
    extraMetadata: { [INPUT_MAP_KEY]: { type: 'string', value: JSON.stringify(inputMapFor(vocab.tokens)) } },
    tensors,
    weightType: values.type as GgmlTensorTypeName,
  })
  console.log(`wrote ${values.out}: ${(statSync(values.out).size / 1e6).toFixed(2)} MB, ${values.type}`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
