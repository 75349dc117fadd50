import { mkdir, rename, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeRandomLlamaModel } from '../../tools/gguf/random-model.js'
import type { RandomModelOptions } from '../../tools/gguf/random-model.js'

export { buildTestVocab } from '../../tools/gguf/random-model.js'
export { buildSpmVocab, piecesForWords } from '../../tools/gguf/vocab.js'

/** Cache directory for generated models (git-ignored). */
export const TEST_TMP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp')

// Bump when the generator changes so stale cached files are not reused.
const GENERATOR_VERSION = 1
const pending = new Map<string, Promise<string>>()

/**
 * Returns the path of the deterministic random test model (llama architecture, MOSS control tokens), writing it to
 * tests/.tmp/ the first time. Safe to call from parallel test files: the file is written under a temporary name
 * and renamed into place.
 */
export function getTestModelPath(options: RandomModelOptions & { readonly variant?: string } = {}): Promise<string> {
  const { variant = 'default', ...rest } = options
  const file = join(TEST_TMP_DIR, `random-llama-v${GENERATOR_VERSION}-${variant}.gguf`)
  let promise = pending.get(file)
  if (promise === undefined) {
    promise = (async () => {
      try {
        await stat(file)
        return file
      } catch {
        await mkdir(TEST_TMP_DIR, { recursive: true })
        const temporary = `${file}.${process.pid}.tmp`
        await writeRandomLlamaModel(temporary, rest)
        await rename(temporary, file)
        return file
      }
    })()
    pending.set(file, promise)
  }
  return promise
}
