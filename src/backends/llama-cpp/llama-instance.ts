import { getLlama, LlamaLogLevel } from 'node-llama-cpp'
import type { Llama } from 'node-llama-cpp'
import { ModelLoadError, describeError } from '../../errors.js'
import type { GpuChoice } from './device.js'

let shared: { gpu: GpuChoice; llama: Promise<Llama> } | undefined

/**
 * The process-wide llama.cpp binding. `getLlama` costs 1–2 s (it probes the binary in a child process), so it runs
 * once; it never downloads or compiles llama.cpp. The first caller's GPU choice wins for the process.
 */
export function getSharedLlama(gpu: GpuChoice): Promise<Llama> {
  if (shared === undefined) {
    process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= 'true'
    const llama = getLlama({ build: 'never', gpu, logLevel: LlamaLogLevel.error, progressLogs: false }).catch((error: unknown) => {
      shared = undefined
      throw new ModelLoadError('other', `llama.cpp could not start with gpu=${String(gpu)}: ${describeError(error)}`, {
        cause: error,
      })
    })
    shared = { gpu, llama }
  }
  return shared.llama
}
