import { open, stat } from 'node:fs/promises'
import * as nodeLlamaCpp from 'node-llama-cpp'
import { InsufficientMemoryError, readGgufFileInfo } from 'node-llama-cpp'
import { ModelLoadError, describeError } from '../../errors.js'

const GGUF_MAGIC = 'GGUF'

// GgufArchitectureType is a const enum in the typings but a plain object at run time: read it without the enum type
// so the list of architectures tracks the installed llama.cpp build.
const KNOWN_ARCHITECTURES = new Set<string>(
  Object.values((nodeLlamaCpp as unknown as Record<string, Record<string, string> | undefined>)['GgufArchitectureType'] ?? {}),
)

/** What the pre-load check learned from the file header. */
export interface ModelFileFacts {
  /** `general.architecture` from the GGUF header (`llama`, `qwen3`, …). */
  readonly architecture: string
  /** Size of the model file on disk. */
  readonly sizeBytes: number
}

/**
 * Checks a model file before llama.cpp sees it, so the common mistakes become typed errors with a clear message
 * instead of a native failure: missing file, not a GGUF, an architecture llama.cpp does not know.
 */
export async function checkModelFile(path: string): Promise<ModelFileFacts> {
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new ModelLoadError('missing', `Model path ${path} is not a file`)
    size = info.size
  } catch (error) {
    if (error instanceof ModelLoadError) throw error
    throw new ModelLoadError('missing', `Model file ${path} does not exist`, { cause: error })
  }
  const file = await open(path, 'r')
  try {
    const magic = Buffer.alloc(4)
    await file.read(magic, 0, 4, 0)
    if (magic.toString('latin1') !== GGUF_MAGIC) {
      throw new ModelLoadError('not-gguf', `${path} is not a GGUF file (it starts with ${JSON.stringify(magic.toString('latin1'))})`)
    }
  } finally {
    await file.close()
  }
  let architecture: string
  try {
    const info = await readGgufFileInfo(path, { readTensorInfo: false })
    architecture = String(info.metadata.general?.architecture ?? '')
  } catch (error) {
    throw new ModelLoadError('not-gguf', `${path} has a GGUF signature but its header cannot be read`, { cause: error })
  }
  if (architecture === '' || (KNOWN_ARCHITECTURES.size > 0 && !KNOWN_ARCHITECTURES.has(architecture))) {
    throw new ModelLoadError('unsupported-architecture', `${path}: architecture "${architecture}" is not supported by this llama.cpp build`)
  }
  return { architecture, sizeBytes: size }
}

/** Maps an error from loading a model or creating a context to a typed ModelLoadError. */
export function mapLoadError(error: unknown, path: string, what: string, architecture?: string): ModelLoadError {
  if (error instanceof ModelLoadError) return error
  const message = describeError(error)
  if (error instanceof InsufficientMemoryError || /out of memory|insufficient memory|failed to allocate/i.test(message)) {
    return new ModelLoadError('out-of-memory', `Not enough memory for ${what} of ${path}: ${message}`, { cause: error })
  }
  if (/unknown (model )?architecture|unsupported/i.test(message) || (architecture !== undefined && !KNOWN_ARCHITECTURES.has(architecture))) {
    return new ModelLoadError('unsupported-architecture', `${path}: ${message}`, { cause: error })
  }
  return new ModelLoadError('other', `Failed to load ${what} of ${path}: ${message}`, { cause: error })
}
