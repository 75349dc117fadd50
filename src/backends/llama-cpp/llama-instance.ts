import { getLlama, LlamaLogLevel } from 'node-llama-cpp'
import type { Llama } from 'node-llama-cpp'
import { ModelLoadError, describeError } from '../../errors.js'
import type { GpuChoice } from './device.js'
import type { LlamaCppLogger } from './options.js'

let shared: { gpu: GpuChoice; llama: Promise<Llama> } | undefined

/** Loggers of the live backends: llama.cpp's own messages go to them, never straight to the console. */
const logListeners = new Set<LlamaCppLogger>()

/**
 * Sends llama.cpp's warnings and errors (`llama_state_seq_save_file: error saving …`) to `logger` until the returned
 * function is called. Without a listener they are dropped: the operation that failed reports a typed error of its
 * own, and a raw native line on the console would only interleave with the application's output.
 */
export function addLlamaLogListener(logger: LlamaCppLogger): () => void {
  logListeners.add(logger)
  return () => void logListeners.delete(logger)
}

function forwardLlamaLog(level: LlamaLogLevel, message: string): void {
  const text = message.trim()
  if (text === '') return
  for (const listener of logListeners) listener.warn(`llama.cpp: ${text}`, { level })
}

/** What a GPU build needs, for the message when its binary does not load. */
const GPU_NEEDS: Readonly<Record<string, string>> = {
  cuda: 'an NVIDIA GPU with its driver and the CUDA 12 runtime libraries',
  vulkan: 'a GPU with a Vulkan driver (and the Vulkan loader, libvulkan)',
  metal: 'macOS on Apple silicon',
}

/** A clear {@link ModelLoadError} for a `getLlama` failure with `gpu`. */
function startError(gpu: GpuChoice, error: unknown): ModelLoadError {
  const noBinary = error instanceof Error && (error.constructor.name === 'NoBinaryFoundError' || error.message === 'NoBinaryFoundError')
  if (noBinary && gpu !== false && gpu !== 'auto') {
    return new ModelLoadError(
      'no-binary',
      `llama.cpp has no ${gpu} build that runs on this machine (${process.platform}-${process.arch}): it needs ${GPU_NEEDS[gpu] ?? gpu}. ` +
        `Install those, or use gpu "auto" (falls back to the CPU when no GPU build works)`,
      { cause: error },
    )
  }
  if (noBinary) {
    return new ModelLoadError(
      'no-binary',
      `llama.cpp has no prebuilt binary for ${process.platform}-${process.arch} (the @node-llama-cpp/${process.platform}-${process.arch} package is missing; reinstall node-llama-cpp)`,
      { cause: error },
    )
  }
  return new ModelLoadError('other', `llama.cpp could not start with gpu=${String(gpu)}: ${describeError(error)}`, { cause: error })
}

/**
 * The process-wide llama.cpp binding. `getLlama` costs 1–2 s (it probes the binary in a child process), so it runs
 * once; it never downloads or compiles llama.cpp. The first caller's GPU choice wins for the process.
 */
export function getSharedLlama(gpu: GpuChoice): Promise<Llama> {
  if (shared === undefined) {
    process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= 'true'
    const llama = getLlama({ build: 'never', gpu, logLevel: LlamaLogLevel.warn, logger: forwardLlamaLog, progressLogs: false }).catch(
      (error: unknown) => {
        shared = undefined
        throw startError(gpu, error)
      },
    )
    shared = { gpu, llama }
  }
  return shared.llama
}
