import { availableParallelism } from 'node:os'

/** GPU choice: `'auto'` tries CUDA, Vulkan or Metal and falls back to CPU; `false` forces CPU. */
export type GpuChoice = 'auto' | 'cuda' | 'vulkan' | 'metal' | false

/**
 * Default CPU threads: one per core minus one for the event loop, at most 4. node-llama-cpp's own default
 * (max(cores, 4)) oversubscribes small machines and made tiny models ~700× slower on 2 cores.
 */
export function defaultThreads(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1))
}

/** Human-readable device name for logs (`cpu`, `cuda`, …). */
export function deviceName(gpu: string | false): string {
  return gpu === false ? 'cpu' : gpu
}
