import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../src/backends/llama-cpp/model-source.js'

/** The machine a run happened on. */
export interface MachineInfo {
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly node: string
  readonly platform: string
  readonly nodeLlamaCpp: string
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  let nodeLlamaCpp = 'unknown'
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')) as { version?: string }
    nodeLlamaCpp = pkg.version ?? nodeLlamaCpp
  } catch {
    // Only a label in the report.
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    nodeLlamaCpp,
  }
}
