import { describe, expect, it } from 'vitest'
import { createLlamaCppBackend } from '../../../../src/backends/llama-cpp/index.js'
import { ConfigError } from '../../../../src/errors.js'

describe('llama.cpp backend options', () => {
  it.each([
    [{ threads: 0 }, 'threads must be a positive integer'],
    [{ threads: 1.5 }, 'threads must be a positive integer'],
    [{ maxSessions: -1 }, 'maxSessions must be a positive integer'],
    [{ contextSize: 0 }, 'contextSize must be a positive integer'],
    [{ gpuLayers: -2 }, 'gpuLayers must be'],
  ])('%o is a ConfigError, raised before the model is looked for', async (options, message) => {
    // The model does not exist: an option error must come first (no download, no file access).
    const error = await createLlamaCppBackend({ model: '/nonexistent/model.gguf', ...options }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(message)
  })
})
