/**
 * The bench models: the project's tiny model when it exists, and random-weight llama GGUFs of realistic shapes,
 * written once by the project's GGUF writer into the git-ignored `bench/.models/`.
 */
import { existsSync } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { InvalidInputError } from '../src/errors.js'
import { packageRoot } from '../src/backends/llama-cpp/model-source.js'
import type { LlamaHyperparameters } from '../tools/gguf/llama-model.js'
import { writeRandomLlamaModel } from '../tools/gguf/random-model.js'

/** A random model shape. Parameter counts exclude the (small) test vocabulary's embeddings. */
interface RandomSpec {
  readonly params: string
  readonly hyperparameters: Partial<LlamaHyperparameters>
}

/**
 * Shapes chosen so that the transformer blocks have roughly the named parameter count (4·d² + 3·d·ff per block):
 * 25m ≈ 8 × 3.2M, 125m ≈ 10 × 12.8M, 500m ≈ 16 × 28.3M. Weights are F16 (~2 bytes per parameter).
 */
export const MODEL_SPECS: Readonly<Record<string, RandomSpec>> = {
  '25m': { params: '25.6M', hyperparameters: { embeddingLength: 512, blockCount: 8, feedForwardLength: 1408, headCount: 8 } },
  '125m': { params: '128M', hyperparameters: { embeddingLength: 1024, blockCount: 10, feedForwardLength: 2816, headCount: 16 } },
  '500m': { params: '453M', hyperparameters: { embeddingLength: 1536, blockCount: 16, feedForwardLength: 4096, headCount: 16 } },
}

/** Context length written into the random models (the dialogue needs ~1,500 tokens). */
const RANDOM_CONTEXT = 4096
// Bump when the shapes or the writer change so stale cached files are not reused.
const GENERATOR_VERSION = 1

/** A model the bench runs on. */
export interface BenchModel {
  /** `tiny`, `25m`, … or the file name of a path. */
  readonly name: string
  readonly path: string
  /** Human description of its size. */
  readonly params: string
}

/** The folder random models are cached in (git-ignored). */
export function benchModelsDir(): string {
  return join(packageRoot(), 'bench', '.models')
}

/**
 * Resolves a model name to a file, writing random models on first use. Returns `undefined` for `tiny` when the
 * project's tiny model has not been trained yet (the caller reports it as skipped).
 */
export async function resolveBenchModel(name: string): Promise<BenchModel | undefined> {
  if (name === 'tiny') {
    const path = join(packageRoot(), 'models', 'tiny-moss.gguf')
    return existsSync(path) ? { name, path, params: 'tiny-moss' } : undefined
  }
  const spec = MODEL_SPECS[name]
  if (spec === undefined) {
    const path = isAbsolute(name) ? name : resolve(name)
    if (!existsSync(path)) throw new InvalidInputError(`Unknown bench model "${name}" (tiny, ${Object.keys(MODEL_SPECS).join(', ')} or a GGUF path)`)
    return { name: path.split('/').at(-1) ?? path, path, params: 'file' }
  }
  const dir = benchModelsDir()
  const path = join(dir, `random-${name}-f16-v${GENERATOR_VERSION}.gguf`)
  if (!existsSync(path)) {
    await mkdir(dir, { recursive: true })
    const temporary = `${path}.${process.pid}.tmp`
    await writeRandomLlamaModel(temporary, { seed: 7, weightType: 'F16', hyperparameters: { contextLength: RANDOM_CONTEXT, ...spec.hyperparameters } })
    await rename(temporary, path)
  }
  return { name, path, params: spec.params }
}
