import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolveModelFile } from 'node-llama-cpp'
import { ModelLoadError, describeError } from '../../errors.js'

/** Download progress of an `hf:` model. */
export interface ModelDownloadProgress {
  /** Bytes written so far. */
  readonly downloadedBytes: number
  /** Size of the whole file, as announced by the server. */
  readonly totalBytes: number
}

/** Path of the bundled tiny model, relative to the package root. */
export const DEFAULT_MODEL_RELATIVE_PATH = join('models', 'tiny-moss.gguf')

/** The package root (the folder with moss-agent's package.json), from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
}

/** Options of {@link resolveModelSource}. */
export interface ResolveModelSourceOptions {
  /** Called while an `hf:` model downloads. */
  readonly onProgress?: (progress: ModelDownloadProgress) => void
  /** Where `hf:` models are cached; defaults to node-llama-cpp's models folder. */
  readonly directory?: string
}

/**
 * Turns the `model` option into a local file path: a path as is, `hf:owner/repo[:quant]` through node-llama-cpp's
 * resolver (downloading with progress callbacks), nothing → `models/tiny-moss.gguf` in the package.
 */
export async function resolveModelSource(model: string | undefined, options: ResolveModelSourceOptions = {}): Promise<string> {
  if (model === undefined || model === '') {
    const path = join(packageRoot(), DEFAULT_MODEL_RELATIVE_PATH)
    if (!existsSync(path)) {
      throw new ModelLoadError(
        'missing',
        `No model given and the bundled model ${path} is absent. Pass a GGUF file or an hf: URI ` +
          '(e.g. `--model ./my-model.gguf` or `--model hf:owner/repo:Q8_0`).',
      )
    }
    return path
  }
  if (!model.startsWith('hf:')) return resolve(model)
  try {
    return await resolveModelFile(model, {
      directory: options.directory,
      cli: false,
      onProgress: options.onProgress
        ? ({ downloadedSize, totalSize }) => {
            try {
              options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize })
            } catch {
              // A face's progress bar must never break the download.
            }
          }
        : undefined,
    })
  } catch (error) {
    throw new ModelLoadError('missing', `Could not resolve or download ${model}: ${describeError(error)}`, {
      cause: error,
    })
  }
}
